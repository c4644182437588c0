// Accepts registrations of plugin services (issue #17 item 3) for a manager running inside a long-lived
// service: `POST /v1/registrations` adds an instance (its plugin id, base URL and capabilities), heartbeats
// keep it, and one that misses its heartbeats is dropped. Every request carries the shared token.
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import {
  DEFAULT_HEARTBEAT_MS,
  DEREGISTER_ROUTE,
  HEARTBEAT_ROUTE,
  OcmError,
  REGISTER_ROUTE,
  registrationKeySchema,
  registrationSchema,
  statusForErrorCode,
  toOcmError,
  validate,
  type CapabilitiesDocument,
} from "../../../core/index.js";
import { checkRemoteUrl, isLoopbackHost } from "../config/remote-settings.js";

/** What `createPluginManager({registration})` takes. */
export interface RegistrationOptions {
  /**
   * Where to listen (default host 127.0.0.1); port 0 picks a free one. Another host than loopback needs
   * `tls`: the shared token would otherwise cross the network readable.
   */
  listen: { host?: string; port: number };
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** The shared token: services send it to register, and the manager sends it when it calls them. */
  token: string;
  /** Heartbeats an instance may miss before it is dropped (default 3). */
  missedHeartbeats?: number;
}

/** One registered instance of a plugin service. */
export interface RegisteredInstance {
  id: string;
  url: string;
  document: CapabilitiesDocument;
  heartbeatMs: number;
  registeredAt: number;
  lastSeen: number;
}

/** The running registration endpoint. */
export interface RegistrationServer {
  /** Resolves to the base URL services register with, e.g. `http://127.0.0.1:7755`. */
  readonly ready: Promise<{ url: string }>;
  /** The instances registered now. */
  instances(): RegisteredInstance[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Starts listening at once; `onChange` is called whenever an instance is added or dropped. */
export function startRegistrationServer(
  options: RegistrationOptions,
  onChange: () => void,
): RegistrationServer {
  if (options.token.length < 16) {
    throw new OcmError({
      code: "OCM_CONFIG_INVALID",
      message: `the registration token has ${options.token.length} characters; at least 16 are needed`,
      hint: "Choose a long random token (e.g. `openssl rand -base64 32`).",
    });
  }
  const host = options.listen.host ?? "127.0.0.1";
  if (!options.tls && !isLoopbackHost(host)) {
    throw new OcmError({
      code: "OCM_CONFIG_INVALID",
      message: `the registration endpoint would listen on ${host} with plain HTTP; services would send the shared token across the network readable`,
      hint: "Give registration.tls ({cert, key}), or listen on 127.0.0.1 behind a TLS proxy.",
      details: { host },
    });
  }
  const missed = options.missedHeartbeats ?? 3;
  const registered = new Map<string, RegisteredInstance>();
  const key = (id: string, url: string) => `${id} ${url}`;
  const expected = Buffer.from(`Bearer ${options.token}`);

  function authorized(req: IncomingMessage): boolean {
    const given = Buffer.from(req.headers.authorization ?? "");
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!authorized(req)) {
      throw new OcmError({
        code: "OCM_RPC_UNAUTHORIZED",
        message: "missing or wrong registration token",
        hint: "Send `Authorization: Bearer <token>` with the token the manager was given.",
      });
    }
    const body = await readJson(req);
    const now = Date.now();
    if (req.method === "POST" && req.url === REGISTER_ROUTE) {
      const registration = validate(registrationSchema, body, "OCM_RPC_BAD_REQUEST", "invalid registration");
      const url = checkRemoteUrl(registration.id, registration.url, "url");
      const heartbeatMs = registration.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
      const known = registered.get(key(registration.id, url));
      registered.set(key(registration.id, url), {
        id: registration.id,
        url,
        document: registration.capabilities,
        heartbeatMs,
        registeredAt: known?.registeredAt ?? now,
        lastSeen: now,
      });
      onChange();
      return send(res, 200, { expiresAfterMs: heartbeatMs * missed });
    }
    if (req.method === "POST" && (req.url === HEARTBEAT_ROUTE || req.url === DEREGISTER_ROUTE)) {
      const { id, url } = validate(registrationKeySchema, body, "OCM_RPC_BAD_REQUEST", "invalid heartbeat");
      const instance = registered.get(key(id, url));
      if (!instance) {
        throw new OcmError({
          code: "OCM_REGISTRATION_UNKNOWN",
          message: `no registration of plugin ${id} at ${url}`,
          hint: "Register again: the registration was dropped after missed heartbeats, or never made.",
        });
      }
      if (req.url === DEREGISTER_ROUTE) {
        registered.delete(key(id, url));
        onChange();
        return send(res, 200, {});
      }
      instance.lastSeen = now;
      return send(res, 200, { expiresAfterMs: instance.heartbeatMs * missed });
    }
    throw new OcmError({ code: "OCM_RPC_NOT_FOUND", message: `no route ${req.method} ${req.url}` });
  }

  /** Drops every instance that has not been seen for `missed` of its heartbeats. */
  function sweep(): void {
    const now = Date.now();
    let dropped = false;
    for (const [k, instance] of registered) {
      if (now - instance.lastSeen > instance.heartbeatMs * missed) {
        registered.delete(k);
        dropped = true;
      }
    }
    if (dropped) onChange();
  }
  const timer = setInterval(sweep, 100);
  timer.unref();

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      const wire = toOcmError(error).toJSON();
      send(res, wire.code === "OCM_REGISTRATION_UNKNOWN" ? 404 : statusForErrorCode(wire.code), wire);
    });
  };
  const server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener)
    : createServer(listener);
  const ready = new Promise<{ url: string }>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.listen.port, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : options.listen.port;
      const scheme = options.tls ? "https" : "http";
      resolve({ url: `${scheme}://${host.includes(":") ? `[${host}]` : host}:${port}` });
    });
  });
  ready.catch(() => undefined);

  return {
    ready,
    instances: () => {
      sweep();
      return [...registered.values()];
    },
    async close() {
      clearInterval(timer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > MAX_BODY_BYTES) {
      throw new OcmError({ code: "OCM_RPC_BAD_REQUEST", message: "request body exceeds 1 MiB" });
    }
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw new OcmError({ code: "OCM_RPC_BAD_REQUEST", message: "request body is not JSON" });
  }
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const data = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(data) });
  res.end(data);
}
