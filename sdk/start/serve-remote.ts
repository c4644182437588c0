// A plugin as a long-running service (ADR 0009): the same definition and request handler as a launched
// plugin, on TCP with TLS, guarded by a bearer token the operator chose (and/or client certificates)
// instead of a per-launch secret. Nobody starts or stops it for the host, so it has no idle timer, no
// parent watch and no ready line.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { OcmError, toOcmError } from "../../core/errors.js";
import type { PluginDefinition } from "../../core/plugin-definition.js";
import { log } from "../log.js";
import { createRequestHandler } from "../serve/handle-request.js";
import { markServerProcess } from "../server-process.js";
import { createActivity } from "../watch/activity.js";
import { describePlugin } from "../../core/describe-plugin.js";
import { startRegistering, type RegisterOptions } from "../remote/register.js";

/** TLS material of a plugin service, PEM text (read the files yourself). */
export interface RemoteTlsOptions {
  /** The server's certificate chain. */
  cert: string | Buffer;
  key: string | Buffer;
  /** CA certificates that client certificates must lead to (with `requestCert`). */
  ca?: string | Buffer;
  /** Require a client certificate signed by `ca` on every connection (mTLS). */
  requestCert?: boolean;
}

export interface ServeRemoteOptions {
  /** Address to bind; `127.0.0.1` by default. */
  host?: string;
  /** Port to bind; 0 picks a free one (read it from the result). */
  port?: number;
  /** TLS; without it the service listens in plain HTTP, which is allowed on a loopback host only. */
  tls?: RemoteTlsOptions;
  /** Every request must carry `Authorization: Bearer <token>`; optional only with `tls.requestCert`. */
  token?: string | undefined;
  /** The `id` health reports; the definition's name by default. */
  id?: string;
  /** The plugin's own configuration, given to its init hook (a service reads it itself, e.g. from a file). */
  config?: unknown;
  /** Register with a manager that accepts registrations, and heartbeat until closed (issue #17 item 3). */
  register?: RegisterOptions;
}

/** A running plugin service. */
export interface RemoteServer {
  /** The base URL the host is configured with, e.g. `https://127.0.0.1:8443`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, lets calls in flight finish, runs the plugin's close hook. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);
/** A token shorter than this is refused: it would be guessed. */
const MIN_TOKEN_LENGTH = 16;

/**
 * Serves `definition` on TCP: runs its init hook with `config`, then listens. Routes, bodies and
 * errors are those of a launched plugin, plus `GET /v1/capabilities`.
 */
export async function serveRemote(
  definition: PluginDefinition,
  options: ServeRemoteOptions,
): Promise<RemoteServer> {
  const host = options.host ?? "127.0.0.1";
  checkServeOptions(definition, options, host);
  markServerProcess();
  try {
    await definition.init?.(options.config);
  } catch (thrown) {
    throw toOcmError(thrown, "OCM_PLUGIN_INIT_FAILED");
  }
  let stopping = false;
  const activity = createActivity(0, () => undefined);
  const server: Server = options.tls
    ? createHttpsServer({
        cert: options.tls.cert,
        key: options.tls.key,
        ...(options.tls.ca === undefined ? {} : { ca: options.tls.ca }),
        requestCert: options.tls.requestCert === true,
        rejectUnauthorized: options.tls.requestCert === true,
      })
    : createHttpServer();
  server.keepAliveTimeout = 5_000;
  const handler = createRequestHandler({
    definition,
    id: options.id ?? definition.name,
    secret: options.token,
    activity,
    stopping: () => stopping,
    // A service is stopped by whoever runs it, never by a host's shutdown call.
    requestStop: () => log.warn("shutdown route ignored: a plugin service is stopped by its operator"),
  });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => handler(req, res));
  server.on("tlsClientError", (error) => log.debug("TLS handshake failed", { err: error }));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : (options.port ?? 0);
  const shown = host.includes(":") ? `[${host}]` : host;
  const url = `${options.tls ? "https" : "http"}://${shown}:${port}`;
  log.info("serving", { id: options.id ?? definition.name, url });
  const registering = options.register
    ? startRegistering(options.register, {
        id: options.id ?? definition.name,
        url,
        capabilities: describePlugin(definition),
      })
    : undefined;
  return {
    url,
    port,
    async close() {
      if (stopping) return;
      stopping = true;
      await registering?.stop();
      server.close();
      server.closeIdleConnections();
      await activity.drained();
      await definition.close?.();
    },
  };
}

function checkServeOptions(definition: PluginDefinition, options: ServeRemoteOptions, host: string): void {
  const fail = (message: string, hint: string) => {
    throw new OcmError({
      code: "OCM_PLUGIN_REMOTE_INSECURE",
      message,
      hint,
      details: { plugin: definition.name },
    });
  };
  if (!options.tls && !LOOPBACK.has(host)) {
    fail(
      `plugin service ${definition.name} would listen in plain HTTP on ${host}`,
      "Give tls {cert, key}, or listen on 127.0.0.1 only.",
    );
  }
  if (options.token === undefined && options.tls?.requestCert !== true) {
    fail(
      `plugin service ${definition.name} has neither a token nor client certificates`,
      "Give token (the bearer token the host is configured with) or tls.requestCert with a ca.",
    );
  }
  if (options.token !== undefined && options.token.length < MIN_TOKEN_LENGTH) {
    fail(
      `the token of plugin service ${definition.name} has ${options.token.length} characters; at least ${MIN_TOKEN_LENGTH} are needed`,
      "Make one with `openssl rand -base64 32`.",
    );
  }
}
