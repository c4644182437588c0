// Sends one request to a started plugin and turns what can go wrong into OcmErrors: an error body from the
// plugin becomes the plugin's own error; a broken connection becomes OCM_PLUGIN_CRASHED when the process
// died, or a retry when the plugin had just exited on idle or closed a kept connection the request was sent
// on; a plugin that does not answer within the call bound becomes OCM_RPC_TIMEOUT (ADR 0001, "Calls").
import type { Dispatcher } from "undici";
import {
  CREDENTIALS_HEADER,
  OcmError,
  fromErrorData,
  wireErrorSchema,
  type OcmErrorData,
} from "../../../core/index.js";
import { untrustedText } from "../../../core/model/index.js";
import { MAX_ERROR_BODY_BYTES, formatBytes, readBounded } from "./read-body.js";
import type { ExitInfo, PluginConnection, RemoteLink } from "../process/connection.js";

export interface PluginRequest {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string | AsyncIterable<Uint8Array>;
  signal?: AbortSignal | undefined;
  /** Bytes of a streamed answer buffered before the socket is paused (undici's default is 64 KiB). */
  highWaterMark?: number;
  /** What the caller was doing, for messages (`getComponentVersion`). */
  what: string;
  /**
   * A read of one thing (`get-*` operations): HTTP 404 with a plugin's own code means it is not there
   * and becomes OCM_REPOSITORY_NOT_FOUND, the code the host acts on (ADR 0001, "Error codes").
   */
  notFoundOn404?: boolean;
  /** A call without side effects: on a remote plugin it is retried after a connection failure (ADR 0009). */
  idempotent?: boolean;
}

/** Errors of a connection that never carried a request: safe to retry on a fresh process. */
const NOT_CONNECTED = new Set(["ECONNREFUSED", "ENOENT", "UND_ERR_CONNECT_TIMEOUT"]);
/**
 * Errors of a kept connection the plugin closed while the request went out (a server that closes after each
 * answer without saying `connection: close`, or an idle close racing the request): RFC 9112 section 9.3.1
 * allows a retry on a new connection when nothing of the answer arrived.
 */
const CLOSED_UNDER_REQUEST = new Set(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE"]);
/** undici's codes for a call bound (no answer in time) and a body bound (no bytes in time). */
const TIMEOUTS = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/**
 * Sends `request` on a connection from `connect()`. When a non-upload request (or an upload whose body was
 * not read yet) fails because the plugin had exited cleanly, it is sent once more after a restart.
 */
export async function sendRequest(
  connect: () => Promise<PluginConnection>,
  request: PluginRequest,
  replayable: () => boolean,
): Promise<Dispatcher.ResponseData> {
  for (let attempt = 0; ; attempt++) {
    const connection = await connect();
    if (connection.remote) checkRemoteCredentials(connection, request);
    let response: Dispatcher.ResponseData;
    // Built without conditional spreads: this runs on every call.
    const headers: Record<string, string> = { ...request.headers };
    headers["authorization"] = connection.authorization;
    const options: Dispatcher.RequestOptions = {
      origin: connection.origin,
      path: request.path,
      method: request.method,
      headers,
    };
    if (request.body !== undefined) options.body = request.body as string;
    if (request.signal) options.signal = request.signal;
    if (request.highWaterMark !== undefined) options.highWaterMark = request.highWaterMark;
    try {
      response = await connection.dispatcher.request(options);
    } catch (error) {
      if (isAbort(error, request.signal)) throw error;
      const code = (error as { code?: string }).code ?? "";
      if (TIMEOUTS.has(code)) throw timeoutError(connection, error, request.what);
      if (connection.remote) {
        // A remote instance has no process to watch: the failure takes it out, and a call that had no
        // effect yet (never connected, or idempotent) goes to the next healthy instance after a back-off.
        const failure = connectionError(connection, error, undefined, request.what);
        const retry = replayable() && (NOT_CONNECTED.has(code) || request.idempotent === true);
        if (retry && attempt < connection.remote.retries) {
          await backOff(attempt);
          continue;
        }
        throw failure;
      }
      const closed = CLOSED_UNDER_REQUEST.has(code);
      // A live plugin that closed a kept connection is told apart from a dying one without the full wait.
      const exit = await exitedSoon(connection.exited, closed ? 100 : 1_000);
      const cleanExit = exit !== undefined && exit.code === 0 && !exit.requested;
      const retry = NOT_CONNECTED.has(code) || cleanExit || (closed && exit === undefined);
      if (attempt === 0 && replayable() && retry) continue;
      throw connectionError(
        connection,
        error,
        exit ?? (closed ? await exitedSoon(connection.exited) : exit),
        request.what,
      );
    }
    connection.remote?.succeeded();
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    const error = await errorFromResponse(connection, response, request.what);
    throw request.notFoundOn404 && response.statusCode === 404 ? asNotFound(error) : error;
  }
}

/** How much of a plugin's error message and hint reaches the host's errors. */
const MAX_ERROR_TEXT = 4096;
const MAX_HINT_TEXT = 1024;
const MAX_DETAILS_JSON = 16 * 1024;

/**
 * Builds the error of a non-2xx answer from its JSON body. The body is read up to a bound, and the plugin's
 * message and hint are cut short and have their control characters escaped: they end up on a terminal.
 */
export async function errorFromResponse(
  connection: PluginConnection,
  response: Dispatcher.ResponseData,
  what: string,
): Promise<OcmError> {
  const id = connection.pluginId;
  const bytes = await readBounded(response, MAX_ERROR_BODY_BYTES).catch(() => Buffer.alloc(0));
  if (bytes === undefined) {
    return new OcmError({
      code: "OCM_RPC_FAILED",
      message: `plugin ${id} answered ${what} with HTTP ${response.statusCode} and an error body larger than ${formatBytes(MAX_ERROR_BODY_BYTES)}`,
      hint: "The plugin must answer errors as short JSON {code, message, hint}; read its log lines.",
      details: { plugin: id, status: response.statusCode },
    });
  }
  const text = bytes.toString("utf8");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const parsed = wireErrorSchema.safeParse(body);
  if (parsed.success) return fromErrorData(pluginErrorData(parsed.data, id));
  return new OcmError({
    code: response.statusCode === 401 ? "OCM_RPC_UNAUTHORIZED" : "OCM_RPC_FAILED",
    message: `plugin ${id} answered ${what} with HTTP ${response.statusCode} and no error body: ${JSON.stringify(untrustedText(text, 200))}`,
    hint: "The plugin must answer errors as JSON {code, message, hint}; read its log lines.",
    details: { plugin: id, status: response.statusCode },
  });
}

/** Codes that keep their meaning on a 404: the route is unknown, or the plugin said "not found" already. */
const KEEP_ON_404 = new Set(["OCM_RPC_NOT_FOUND", "OCM_RPC_UNAUTHORIZED", "OCM_REPOSITORY_NOT_FOUND"]);

/** A plugin's 404 on a read, with its own code, as the not-found the host acts on; its code kept in details. */
function asNotFound(error: OcmError): OcmError {
  if (KEEP_ON_404.has(error.code)) return error;
  return new OcmError({
    code: "OCM_REPOSITORY_NOT_FOUND",
    message: error.message,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    details: { ...error.details, pluginCode: error.code },
    cause: error,
  });
}

/** A plugin's wire error made safe to show: a well-formed code, short escaped text, bounded details. */
function pluginErrorData(data: OcmErrorData, pluginId: string): OcmErrorData {
  if (data.code === "OCM_INTERNAL") {
    // A bug in the plugin, not in ocm-ts: the CLI must not report it as ours.
    return {
      code: "OCM_RPC_FAILED",
      message: `plugin ${pluginId} failed with an internal error: ${untrustedText(data.message, MAX_ERROR_TEXT)}`,
      hint: `This is a bug in plugin ${pluginId}; report it to its authors with its log lines (--log-level debug).`,
      details: { plugin: pluginId, pluginCode: data.code },
    };
  }
  const wellFormed = /^OCM_[A-Z0-9_]{1,64}$/.test(data.code);
  const details = data.details && JSON.stringify(data.details).length <= MAX_DETAILS_JSON ? data.details : {};
  return {
    code: wellFormed ? data.code : "OCM_RPC_FAILED",
    message: wellFormed
      ? untrustedText(data.message, MAX_ERROR_TEXT)
      : `plugin ${pluginId} failed with code ${JSON.stringify(untrustedText(data.code, 80))}: ${untrustedText(data.message, MAX_ERROR_TEXT)}`,
    ...(data.hint === undefined ? {} : { hint: untrustedText(data.hint, MAX_HINT_TEXT) }),
    details: { ...details, plugin: pluginId },
  };
}

/** The error for a connection that broke during `what`. */
export function connectionError(
  connection: PluginConnection,
  error: unknown,
  exit: ExitInfo | undefined,
  what: string,
): OcmError {
  const id = connection.pluginId;
  if (connection.remote) return remoteFailed(connection, connection.remote, error, what);
  if (exit?.requested) {
    return new OcmError({
      code: "OCM_PLUGIN_STOPPED",
      message: `plugin ${id} was stopped during ${what}`,
      hint: "The plugin manager was closed while the call was in flight.",
      cause: error,
    });
  }
  if (exit) {
    const how = exit.code === null ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
    const tail = untrustedText(connection.stderrTail().split("\n").slice(-3).join(" | "), 600);
    return new OcmError({
      code: "OCM_PLUGIN_CRASHED",
      message: `plugin ${id} exited (${how}) during ${what}${tail ? `; last stderr: ${tail}` : ""}`,
      hint: "Retry; the next call starts the plugin again. If it recurs, run with --log-level debug.",
      details: { plugin: id, exitCode: exit.code, signal: exit.signal },
      cause: error,
    });
  }
  if (CLOSED_UNDER_REQUEST.has((error as { code?: string }).code ?? "")) {
    return new OcmError({
      code: "OCM_RPC_FAILED",
      message: `plugin ${id} closed the connection during ${what} without an answer (${untrustedText((error as Error).message, 200)})`,
      hint:
        "The plugin must read every request body to its end (content-length, or transfer-encoding: chunked) " +
        "and answer before it closes; a server that closes after each answer must say so (HTTP/1.0 or " +
        '`connection: close`). See docs/plugin-authors.md, "Connections and bodies"; `ocm plugin verify` names the cause.',
      details: { plugin: id },
      cause: error,
    });
  }
  return new OcmError({
    code: "OCM_RPC_FAILED",
    message: `call ${what} to plugin ${id} failed: ${untrustedText((error as Error).message, 1024)}`,
    hint: "Read the plugin's log lines (--log-level debug).",
    details: { plugin: id },
    cause: error,
  });
}

/**
 * The error for a call the plugin did not answer within its bound: no answer within `callTimeout` of the
 * request (or of the last byte of an upload the plugin read), or a body with no bytes for that long.
 */
export function timeoutError(connection: PluginConnection, error: unknown, what: string): OcmError {
  const id = connection.pluginId;
  const ms = connection.callTimeoutMs;
  const body = (error as { code?: string }).code === "UND_ERR_BODY_TIMEOUT";
  return new OcmError({
    code: "OCM_RPC_TIMEOUT",
    message: body
      ? `plugin ${id} sent no bytes for ${ms} ms during ${what} (callTimeout ${ms} ms)`
      : `plugin ${id} did not answer ${what} within ${ms} ms (callTimeout ${ms} ms)`,
    hint: `The plugin hangs or is very slow; read its log lines (--log-level debug). Raise callTimeout in the plugin.config.ocm.software/v1 entry of the ocm config (for this plugin: plugins.${id}.callTimeout) if it is merely slow.`,
    details: { plugin: id, timeoutMs: ms },
    cause: error,
  });
}

/** The exit of the process if it happens within a short while (a dying process closes sockets first). */
export function exitedSoon(exited: Promise<ExitInfo>, ms = 1_000): Promise<ExitInfo | undefined> {
  return Promise.race([
    exited,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref()),
  ]);
}

/** A connection to one instance of a remote plugin failed: the instance is told, the caller gets why. */
function remoteFailed(
  connection: PluginConnection,
  link: RemoteLink,
  error: unknown,
  what: string,
): OcmError {
  link.failed(error);
  const reason = untrustedText((error as Error).message ?? String(error), 300);
  const code = (error as { code?: string }).code;
  return new OcmError({
    code: "OCM_PLUGIN_REMOTE_FAILED",
    message: `remote plugin ${connection.pluginId} at ${link.url} failed during ${what}: ${reason}${code ? ` (${code})` : ""}`,
    hint: "The instance is out until its health check passes; calls go to the plugin's other instances. Check that the service runs and its TLS settings (ca, cert, key) fit.",
    details: { plugin: connection.pluginId, url: link.url, ...(code ? { cause: code } : {}) },
    cause: error,
  });
}

/** Per-call credentials travel only over TLS or to loopback (ADR 0009); the config refuses the rest too. */
function checkRemoteCredentials(connection: PluginConnection, request: PluginRequest): void {
  const link = connection.remote as RemoteLink;
  if (link.mayCarryCredentials || request.headers?.[CREDENTIALS_HEADER] === undefined) return;
  throw new OcmError({
    code: "OCM_PLUGIN_REMOTE_INSECURE",
    message: `credentials for ${request.what} were not sent to remote plugin ${connection.pluginId}: ${link.url} is plain HTTP to a host that is not loopback`,
    hint: "Configure the plugin with an https:// URL.",
    details: { plugin: connection.pluginId, url: link.url },
  });
}

/** Back-off before retry `attempt` on a remote plugin: 100 ms, 300 ms, 900 ms, … up to 2 s. */
function backOff(attempt: number): Promise<void> {
  const ms = Math.min(2_000, 100 * 3 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error as Error).name === "AbortError";
}
