#!/usr/bin/env python3
"""An ocm-ts plugin in Python 3 (standard library only): credentials from environment variables.

Credential repository type EnvCredentials/v1. For a consumer identity with a `hostname` (and optional
`port`), it returns the credentials found in variables named

    <PREFIX>_<HOST>[_<PORT>]_<KEY>

where PREFIX is the spec's `prefix` (default OCM_CRED), HOST is the hostname in upper case with every
character other than A-Z and 0-9 replaced by `_`, and KEY is one of USERNAME, PASSWORD, TOKEN,
IDENTITY_TOKEN or ACCESS_TOKEN (returned as username, password, token, identityToken, accessToken).
With a port, `<HOST>_<PORT>` variables are used when any exists, else the `<HOST>` ones. Example:

    export OCM_CRED_GHCR_IO_USERNAME=me OCM_CRED_GHCR_IO_PASSWORD=secret
    # identity {"type": "OCIRegistry", "hostname": "ghcr.io"} -> {"username": "me", "password": "secret"}

The plugin reads the environment of the `ocm` process that starts it. Reading variables needs no
credentials, so its own consumer identity is null.

    env-credentials.py capabilities
    env-credentials.py server --config '<json>'     (with "secrets": "stdin", one JSON line on stdin)

The contract: docs/plugin-authors.md, adr/0001-plugins.md and the JSON Schemas in schemas/.
Check it with `ocm plugin verify plugins/examples/env-credentials.py`.
"""

import hmac
import http.server
import json
import os
import re
import select
import signal
import socketserver
import stat
import sys
import threading
import time
import urllib.parse

PROTOCOL_VERSION = "1.0.0"
NAME = "env-credentials"
VERSION = "1.0.0"
TYPE = "EnvCredentials/v1"

SPEC_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "type": {"type": "string", "minLength": 1},
        "prefix": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$", "default": "OCM_CRED"},
    },
    "required": ["type"],
}

# The action list-consumers (docs/plugin-authors.md, "action"): which consumers have credentials in the
# environment, by variable stem and keys, never the values.
LIST_CONSUMERS_SCHEMA = {
    "type": "object",
    "properties": {
        "prefix": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$",
                   "description": "the variable prefix (default: the scope config's prefix, else OCM_CRED)"},
    },
    "additionalProperties": False,
}

CAPABILITIES = {
    "type": {TYPE: ["credentialRepository", "action"]},
    "name": NAME,
    "version": VERSION,
    "protocol": PROTOCOL_VERSION,
    "description": "Credentials from environment variables <PREFIX>_<HOST>[_<PORT>]_<KEY> (Python, standard library only)",
    "aliases": {TYPE: ["EnvCredentials", "env"]},
    "schemas": {TYPE: SPEC_SCHEMA},
    "connection": {"status": False, "test": False},
    "actions": {TYPE: {"list-consumers": {
        "description": "list the consumers (variable stems) that have credentials in the environment, and which keys; never the values",
        "schema": LIST_CONSUMERS_SCHEMA,
    }}},
}

# Credential keys: variable suffix -> key in the answer.
KEYS = {
    "USERNAME": "username",
    "PASSWORD": "password",
    "TOKEN": "token",
    "IDENTITY_TOKEN": "identityToken",
    "ACCESS_TOKEN": "accessToken",
}

# Exit codes reserved by the contract (core/protocol/exit-codes.ts).
EXIT_OK, EXIT_USAGE, EXIT_LISTEN, EXIT_INTERNAL, EXIT_CONFIG = 0, 64, 69, 70, 78

LOG_LEVELS = {"trace": 10, "debug": 20, "info": 30, "warn": 40, "error": 50, "silent": 100}
_log_threshold = LOG_LEVELS["info"]
_log_lock = threading.Lock()


def log(level, msg, **fields):
    """One JSON line on stderr, {"level","time","msg",...}; the host re-emits it with the plugin id."""
    if LOG_LEVELS[level] < _log_threshold:
        return
    record = {"level": level, "time": int(time.time() * 1000), "msg": msg}
    record.update(fields)
    with _log_lock:
        try:
            sys.stderr.write(json.dumps(record, separators=(",", ":"), default=str) + "\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass


class OcmError(Exception):
    """An error as it travels on the wire: {code, message, hint?}."""

    STATUS = {"OCM_RPC_BAD_REQUEST": 400, "OCM_RPC_UNAUTHORIZED": 401, "OCM_RPC_NOT_FOUND": 404, "OCM_INTERNAL": 500}

    def __init__(self, code, message, hint=None):
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint

    def status(self):
        return self.STATUS.get(self.code, 422)

    def to_json(self):
        body = {"code": self.code, "message": self.message}
        if self.hint:
            body["hint"] = self.hint
        return body


def bad_request(operation, field, problem):
    """OCM_RPC_BAD_REQUEST; only the `field <dot.path>` part of the message is part of the contract."""
    return OcmError(
        "OCM_RPC_BAD_REQUEST",
        "invalid %s request: field %s: %s" % (operation, field, problem),
        "See schemas/credentialRepository.%s.request.schema.json." % ("resolve" if operation == "resolve" else "consumer-identity"),
    )


# ---------------------------------------------------------------------------------------------------------
# The credential repository


def read_spec(operation, request):
    config = request.get("config")
    if not isinstance(config, dict):
        raise bad_request(operation, "config", "must be an object")
    if not isinstance(config.get("type"), str) or not config["type"]:
        raise bad_request(operation, "config.type", "must be a non-empty string")
    prefix = config.get("prefix", "OCM_CRED")
    if not isinstance(prefix, str) or not re.fullmatch(r"[A-Z][A-Z0-9_]*", prefix):
        raise bad_request(operation, "config.prefix", "must be upper case letters, digits and _, e.g. OCM_CRED")
    return prefix


def variable_part(text):
    return re.sub(r"[^A-Z0-9]", "_", text.upper())


def consumer_identity(request):
    read_spec("consumerIdentity", request)
    return {"identity": None}


def resolve(request):
    prefix = read_spec("resolve", request)
    identity = request.get("identity")
    if not isinstance(identity, dict):
        raise bad_request("resolve", "identity", "must be an object of strings")
    for key, value in identity.items():
        if not isinstance(value, str):
            raise bad_request("resolve", "identity.%s" % key, "must be a string")
    host = identity.get("hostname")
    if not host:
        return {"credentials": None}
    stems = [variable_part(host)]
    if identity.get("port"):
        stems.insert(0, "%s_%s" % (stems[0], variable_part(identity["port"])))
    for stem in stems:
        found = {}
        for suffix, key in KEYS.items():
            value = os.environ.get("%s_%s_%s" % (prefix, stem, suffix))
            if value is not None:
                found[key] = value
        if found:
            log("debug", "credentials found", hostname=host, variables="%s_%s_*" % (prefix, stem))
            return {"credentials": found}
    return {"credentials": None}


def list_consumers(request):
    """The action: yields its answer's lines, progress first, the result last."""
    data = request.get("data")
    if not isinstance(data, dict):
        raise OcmError("OCM_ACTION_DATA_INVALID", "invalid run request: field data: must be an object")
    scope = request.get("scope") or {}
    scope_config = scope.get("config") if isinstance(scope.get("config"), dict) else {}
    prefix = data.get("prefix") or scope_config.get("prefix") or "OCM_CRED"
    if not isinstance(prefix, str) or not re.fullmatch(r"[A-Z][A-Z0-9_]*", prefix):
        raise OcmError("OCM_ACTION_DATA_INVALID", "invalid run request: field data.prefix: must be upper case letters, digits and _")
    yield {"type": "progress", "message": "reading variables %s_*" % prefix}
    suffixes = sorted(KEYS, key=len, reverse=True)  # IDENTITY_TOKEN before TOKEN
    found = {}
    for name in os.environ:
        if not name.startswith(prefix + "_"):
            continue
        rest = name[len(prefix) + 1:]
        for suffix in suffixes:
            if rest.endswith("_" + suffix) and len(rest) > len(suffix) + 1:
                found.setdefault(rest[:-len(suffix) - 1], set()).add(KEYS[suffix])
                break
    consumers = [{"stem": stem, "variables": "%s_%s_*" % (prefix, stem), "keys": sorted(keys)}
                 for stem, keys in sorted(found.items())]
    yield {"type": "result", "ok": True, "message": "%d consumer%s with credentials" % (len(consumers), "" if len(consumers) == 1 else "s"),
           "data": {"prefix": prefix, "scope": scope.get("name", "*"), "consumers": consumers}}


OPERATIONS = {"consumer-identity": consumer_identity, "resolve": resolve}
ACTIONS = {"list-consumers": list_consumers}
TYPES = {TYPE, "EnvCredentials", "env"}
CAPABILITY_ROUTE = re.compile(r"^/v1/cap/([^/]+)/([^/]+)/([^/]+)$")


# ---------------------------------------------------------------------------------------------------------
# HTTP server


class Runtime:
    """Server state shared by the handler threads and the main loop: activity and the reason to stop."""

    def __init__(self, config):
        self.config = config
        self.lock = threading.Lock()
        self.in_flight = 0
        self.last_activity = time.monotonic()
        self.stop_event = threading.Event()
        self.stop_reason = None

    def touch(self, delta):
        with self.lock:
            self.in_flight += delta
            self.last_activity = time.monotonic()

    def stop(self, reason):
        if self.stop_reason is None:
            self.stop_reason = reason
        self.stop_event.set()


RUNTIME = None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # keep stderr JSON lines only
        log("trace", "http: " + (format % args))

    def send_error(self, code, message=None, explain=None):
        self.close_connection = True
        error_code = "OCM_RPC_NOT_FOUND" if code == 501 else "OCM_RPC_BAD_REQUEST" if code < 500 else "OCM_INTERNAL"
        self._send_json(404 if code == 501 else code, {"code": error_code, "message": message or "HTTP %d" % code})

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def _dispatch(self):
        RUNTIME.touch(1)
        try:
            secret = RUNTIME.config.get("secret")
            given = self.headers.get("authorization") or ""
            if secret and not hmac.compare_digest(given.encode(), ("Bearer " + secret).encode()):
                self.close_connection = True  # leave any body unread
                raise OcmError("OCM_RPC_UNAUTHORIZED", "missing or wrong Authorization header",
                               "Send `Authorization: Bearer <secret>` with the secret from the server config.")
            self._route(self._read_body())
        except OcmError as error:
            self._send_json(error.status(), error.to_json())
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as error:
            log("error", "unexpected failure", error=repr(error), path=self.path)
            self._send_json(500, {"code": "OCM_INTERNAL", "message": "%s: %s" % (type(error).__name__, error)})
        finally:
            RUNTIME.touch(-1)

    def _read_body(self):
        length = int(self.headers.get("content-length") or 0)
        if length > 1 << 20:
            raise OcmError("OCM_RPC_BAD_REQUEST", "request body exceeds 1 MiB")
        return self.rfile.read(length) if length else b""

    def _route(self, raw):
        path = urllib.parse.urlsplit(self.path).path
        if self.command == "GET" and path == "/v1/health":
            return self._send_json(200, {"status": "ok", "id": RUNTIME.config["id"], "pid": os.getpid(),
                                         "protocol": PROTOCOL_VERSION, "name": NAME, "version": VERSION})
        if self.command == "POST" and path == "/v1/shutdown":
            self.close_connection = True
            self._send_json(200, {})
            return RUNTIME.stop("shutdown route")
        match = CAPABILITY_ROUTE.match(path)
        if self.command == "POST" and match and match.group(1) == "credentialRepository" \
                and urllib.parse.unquote(match.group(2)) in TYPES and match.group(3) in OPERATIONS:
            try:
                request = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as e:
                raise OcmError("OCM_RPC_BAD_REQUEST", "request body is not JSON: %s" % e,
                               "Send a JSON object with content-type application/json.")
            if not isinstance(request, dict):
                raise bad_request(match.group(3), "(root)", "must be an object")
            return self._send_json(200, OPERATIONS[match.group(3)](request))
        if self.command == "POST" and match and match.group(1) == "action" \
                and urllib.parse.unquote(match.group(2)) in TYPES and match.group(3) == "run":
            try:
                request = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as e:
                raise OcmError("OCM_RPC_BAD_REQUEST", "request body is not JSON: %s" % e)
            if not isinstance(request, dict):
                raise OcmError("OCM_RPC_BAD_REQUEST", "invalid run request: field (root): must be an object")
            for field in ("action", "scope"):
                if field not in request:
                    raise OcmError("OCM_RPC_BAD_REQUEST", "invalid run request: field %s: is required" % field,
                                   "See schemas/action.run.request.schema.json.")
            if request["action"] not in ACTIONS:
                raise OcmError("OCM_ACTION_NOT_FOUND", "no action %s" % json.dumps(request["action"]),
                               "Actions: %s." % ", ".join(ACTIONS))
            lines = ACTIONS[request["action"]](request)
            first = next(lines)  # an error before the first line is still an error answer
            return self._send_lines(first, lines)
        raise OcmError("OCM_RPC_NOT_FOUND", "no route %s %s" % (self.command, path),
                       "This plugin serves GET /v1/health, POST /v1/shutdown and "
                       "POST /v1/cap/credentialRepository/%s/{consumer-identity,resolve}." % urllib.parse.quote(TYPE, safe=""))

    def _send_lines(self, first, rest):
        """An action's answer: one JSON object per line, each sent as it is made; the end of the body is the
        closed connection (no content-length), so the host reads the lines as they come."""
        self.close_connection = True
        self.send_response(200)
        self.send_header("content-type", "application/x-ndjson")
        self.send_header("connection", "close")
        self.end_headers()
        line = first
        while line is not None:
            self.wfile.write(json.dumps(line, separators=(",", ":")).encode("utf-8") + b"\n")
            self.wfile.flush()
            try:
                line = next(rest, None)
            except OcmError as error:
                line = dict(error.to_json(), type="error")
            except Exception as error:
                log("error", "action failed", error=repr(error))
                line = {"type": "error", "code": "OCM_INTERNAL", "message": "%s: %s" % (type(error).__name__, error)}
                rest = iter(())

    def _send_json(self, status, value):
        data = json.dumps(value, separators=(",", ":")).encode("utf-8")
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        if self.close_connection:
            self.send_header("connection", "close")
        self.end_headers()
        self.wfile.write(data)


class _Quiet:
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        log("debug", "connection failed", error=repr(sys.exc_info()[1]))


class UnixServer(_Quiet, socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    pass


class TcpServer(_Quiet, socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True


# ---------------------------------------------------------------------------------------------------------
# Config, lifecycle, commands


def fail_config(message):
    log("error", "invalid server config: " + message, code="OCM_PLUGIN_CONFIG_INVALID")
    sys.exit(EXIT_CONFIG)


def parse_duration(value):
    """Seconds from a Go duration ("30s", "1h30m", "250ms") or integer nanoseconds."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value / 1e9
    if not isinstance(value, str):
        raise ValueError("must be a duration string or integer nanoseconds")
    if value.isdigit():
        return int(value) / 1e9
    units = {"ns": 1e-9, "us": 1e-6, "\u00b5s": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
    parts = re.findall("(\\d+(?:\\.\\d+)?)(ns|us|\u00b5s|ms|s|m|h)", value)
    if not parts or "".join(n + u for n, u in parts) != value:
        raise ValueError("invalid duration %s" % json.dumps(value))
    return sum(float(n) * units[u] for n, u in parts)


def parse_config(text):
    try:
        config = json.loads(text)
    except ValueError as e:
        fail_config("--config is not JSON: %s" % e)
    if not isinstance(config, dict):
        fail_config("--config must be a JSON object")
    for key in ("id", "location"):
        if not isinstance(config.get(key), str) or not config[key]:
            fail_config("field %s: must be a non-empty string" % key)
    if config.get("type") not in ("unix", "tcp"):
        fail_config('field type: must be "unix" or "tcp"')
    try:
        config["_idle"] = parse_duration(config["idleTimeout"]) if "idleTimeout" in config else 0.0
    except ValueError as e:
        fail_config("field idleTimeout: %s" % e)
    take_secrets(config, fail_config)
    if config["type"] == "tcp" and not config.get("secret"):
        fail_config("field secret: is required for tcp")
    if config.get("logLevel", "info") not in LOG_LEVELS:
        fail_config("field logLevel: must be one of %s" % ", ".join(LOG_LEVELS))
    return config


def read_secrets_line(fail, timeout=10.0, limit=1 << 20):
    """The one JSON line the host writes on stdin right after the start, {"secret": "...", "config": {...}}.

    The host sends `"secrets": "stdin"` in --config and keeps the secret and the plugin's own config off the
    command line, where every local user could read them. It writes nothing after this line; stdin stays
    open until the host is gone.
    """
    data = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in data:
        if len(data) > limit:
            fail("the secrets line on stdin is longer than %d bytes" % limit)
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([0], [], [], left)[0]:
            fail("no secrets line on stdin within %gs" % timeout)
        chunk = os.read(0, 65536)
        if not chunk:
            fail("stdin ended before the secrets line")
        data += chunk
    try:
        secrets = json.loads(data.split(b"\n", 1)[0].decode("utf-8"))
    except ValueError as e:
        fail("the secrets line on stdin is not JSON: %s" % e)
    if not isinstance(secrets, dict):
        fail("the secrets line on stdin must be a JSON object")
    if not isinstance(secrets.get("secret"), str) or len(secrets["secret"]) < 16:
        fail("the secrets line on stdin: field secret: must be a string of at least 16 characters")
    return secrets


def take_secrets(config, fail):
    """With "secrets": "stdin", moves the secret and the plugin's config from the stdin line into `config`."""
    if config.get("secrets") is None:
        return  # started by hand with the secret (if any) in --config
    if config["secrets"] != "stdin":
        fail('field secrets: must be "stdin"')
    for key in ("secret", "config"):
        if key in config:
            fail('field %s: must come on stdin, not in --config, when secrets is "stdin"' % key)
    secrets = read_secrets_line(fail)
    config["secret"] = secrets["secret"]
    if "config" in secrets:
        config["config"] = secrets["config"]


def listen(config):
    """Binds the location (exit 69 on failure): a 0600 unix socket, or 127.0.0.1 only for TCP."""
    try:
        if config["type"] == "unix":
            path = config["location"]
            try:
                if stat.S_ISSOCK(os.lstat(path).st_mode):
                    os.unlink(path)  # stale socket from an earlier run
            except FileNotFoundError:
                pass
            old = os.umask(0o177)
            try:
                server = UnixServer(path, Handler)
            finally:
                os.umask(old)
            return server, path
        host, _, port = config["location"].rpartition(":")
        if host not in ("", "127.0.0.1") or not port.isdigit():
            fail_config("field location: must be 127.0.0.1:<port> for tcp")
        server = TcpServer(("127.0.0.1", int(port)), Handler)
        return server, "127.0.0.1:%d" % server.server_address[1]
    except OSError as e:
        log("error", "could not listen", location=config["location"], error=str(e), code="OCM_PLUGIN_LISTEN_FAILED")
        sys.exit(EXIT_LISTEN)


def watch_stdin(runtime):
    """The host holds a pipe on stdin and writes nothing after the secrets line: its end means the host is gone."""
    mode = os.fstat(0).st_mode
    if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        return  # started by hand: stdin is a terminal or /dev/null

    def run():
        try:
            while os.read(0, 65536):
                pass
        except OSError:
            pass
        runtime.stop("stdin closed")

    threading.Thread(target=run, daemon=True).start()


def serve(config):
    global RUNTIME, _log_threshold
    _log_threshold = LOG_LEVELS[config.get("logLevel") or "info"]
    RUNTIME = runtime = Runtime(config)
    server, location = listen(config)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda s, _f: runtime.stop(signal.Signals(s).name))
    # The socket already listens (connections wait in its backlog), so announce first, then serve.
    sys.stdout.write(json.dumps({"event": "ready", "location": location, "protocol": PROTOCOL_VERSION,
                                 "pid": os.getpid()}) + "\n")
    sys.stdout.flush()
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    watch_stdin(runtime)
    log("info", "listening", location=location)

    parent = config.get("parentPid")
    while not runtime.stop_event.wait(0.2):
        if parent and not parent_alive(parent):
            runtime.stop("parent %d gone" % parent)
        with runtime.lock:
            idle = runtime.in_flight == 0 and time.monotonic() - runtime.last_activity >= config["_idle"]
        if config["_idle"] > 0 and idle:
            runtime.stop("idle timeout")
    log("info", "stopping", reason=runtime.stop_reason)
    server.shutdown()
    server.server_close()
    if config["type"] == "unix":
        try:
            os.unlink(config["location"])
        except FileNotFoundError:
            pass
    sys.stdout.flush()
    os._exit(EXIT_OK)


def parent_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        with open("/proc/%d/stat" % pid) as f:  # a zombie parent has exited
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


USAGE = """Usage:
  env-credentials.py capabilities                 print the capabilities document as JSON
  env-credentials.py server --config '<json>'     serve the plugin (see schemas/server-config.schema.json)"""


def main(args):
    if args == ["capabilities"]:
        sys.stdout.write(json.dumps(CAPABILITIES) + "\n")
        return EXIT_OK
    if len(args) == 2 and args[0] == "server" and args[1].startswith("--config="):
        args = ["server", "--config", args[1][len("--config="):]]
    if len(args) == 3 and args[0] == "server" and args[1] == "--config":
        serve(parse_config(args[2]))
        return EXIT_OK
    sys.stderr.write("unknown command or arguments: %s\n%s\n" % (" ".join(args), USAGE))
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
