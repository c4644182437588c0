// Routes every HTTP request of a plugin server: secret check, control routes, capability routes, errors.
// Whatever a handler throws becomes an error answer; it never reaches the process.
import type { IncomingMessage, ServerResponse } from "node:http";
import { OcmError } from "../../core/errors.js";
import type { PluginDefinition } from "../../core/plugin-definition.js";
import type { CallOptions } from "../../core/protocol/common.js";
import { describePlugin } from "../../core/describe-plugin.js";
import {
  CAPABILITIES_ROUTE,
  CREDENTIALS_HEADER,
  HEALTH_ROUTE,
  SHUTDOWN_ROUTE,
  STATUS_ROUTE,
  TEST_CONNECTION_ROUTE,
  decodeHeaderJson,
} from "../../core/protocol/routes.js";
import { LOG_LEVELS, log } from "../log.js";
import type { Activity } from "../watch/activity.js";
import { createAuthorizer } from "./authorize.js";
import { callCapability, createCapabilityRouter, type CapabilityCall } from "./call-capability.js";
import { connectionStatus, health, testConnection } from "./control-routes.js";
import { sendError, sendJson } from "./respond.js";

export interface RequestContext {
  definition: PluginDefinition;
  /** The server config's `id`, reported by health. */
  id: string;
  secret: string | undefined;
  activity: Activity;
  /** True once the plugin is stopping; answers then close their connection. */
  stopping(): boolean;
  /** Asks for a graceful stop (the shutdown route). */
  requestStop(reason: string): void;
}

/** Creates the `request` listener of the plugin's HTTP server. */
export function createRequestHandler(
  context: RequestContext,
): (req: IncomingMessage, res: ServerResponse) => void {
  const authorize = createAuthorizer(context.secret);
  const router = createCapabilityRouter(context.definition);
  return (req, res) => {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const path = query === -1 ? url : url.slice(0, query);
    const abort = new RequestAbort();
    context.activity.begin();
    if (LOG_LEVELS[log.level] <= LOG_LEVELS.trace)
      log.trace("request received", { method: req.method, route: path });
    res.once("close", () => {
      context.activity.end();
      if (!res.writableFinished) abort.abort(new Error("the host closed the connection"));
    });
    if (context.stopping()) res.setHeader("connection", "close");
    route(context, authorize, router, path, req, res, abort).catch((error: unknown) => {
      if (abort.aborted && isHostGone(error)) {
        log.debug("request aborted by the host", { route: path, err: error });
        return;
      }
      sendError(res, error, path);
    });
  };
}

/**
 * The abort signal of one request, made only when a handler asks for it: most calls end without
 * looking at it, and an AbortSignal costs more to create than the rest of a small call's routing.
 */
class RequestAbort {
  #controller: AbortController | undefined;
  #reason: Error | undefined;

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#reason !== undefined) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  get aborted(): boolean {
    return this.#reason !== undefined;
  }

  abort(reason: Error): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}

const HOST_GONE_CODES = new Set(["ABORT_ERR", "ERR_STREAM_PREMATURE_CLOSE", "ECONNRESET", "EPIPE"]);

/** A failure caused by the host hanging up, as opposed to one the plugin's code raised. */
function isHostGone(error: unknown): boolean {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  return name === "AbortError" || (typeof code === "string" && HOST_GONE_CODES.has(code));
}

async function route(
  context: RequestContext,
  authorize: (req: IncomingMessage) => void,
  router: (path: string) => CapabilityCall | undefined,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
  abort: RequestAbort,
): Promise<void> {
  authorize(req);
  const { definition } = context;
  const method = req.method ?? "GET";
  if (path === HEALTH_ROUTE && method === "GET") return sendJson(res, 200, health(definition, context.id));
  if (path === CAPABILITIES_ROUTE && method === "GET") return sendJson(res, 200, describePlugin(definition));
  if (path === STATUS_ROUTE && method === "GET")
    return sendJson(res, 200, await connectionStatus(definition));
  if (path === TEST_CONNECTION_ROUTE && method === "POST") {
    const credentials = req.headers[CREDENTIALS_HEADER];
    const options = typeof credentials === "string" ? { credentials: readCredentials(credentials) } : {};
    return sendJson(res, 200, await testConnection(definition, req, options));
  }
  if (path === SHUTDOWN_ROUTE && method === "POST") {
    sendJson(res, 200, {});
    return context.requestStop("shutdown requested");
  }
  const call = method === "POST" ? router(path) : undefined;
  if (call) {
    // The operation sees the signal only; creating it is left to the first look.
    const options: CallOptions = {
      get signal() {
        return abort.signal;
      },
    };
    const credentials = req.headers[CREDENTIALS_HEADER];
    if (typeof credentials === "string") options.credentials = readCredentials(credentials);
    return callCapability(call, req, res, options);
  }
  throw new OcmError({
    code: "OCM_RPC_NOT_FOUND",
    message: `no route ${method} ${path}`,
    hint: "Routes: GET /v1/health, GET /v1/capabilities, GET /v1/status, POST /v1/test-connection, POST /v1/shutdown, POST /v1/cap/<capability>/<type>/<operation>.",
  });
}

/** The `ocm-credentials` header: base64url JSON of string values. Its content is never logged or echoed. */
function readCredentials(header: string): Record<string, string> {
  let value: unknown;
  try {
    value = decodeHeaderJson(header);
  } catch {
    value = undefined;
  }
  const valid =
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === "string");
  if (!valid) {
    throw new OcmError({
      code: "OCM_RPC_BAD_REQUEST",
      message: `header ${CREDENTIALS_HEADER}: field (root): must be base64url JSON of string values`,
      hint: 'The host sends credentials as base64url-encoded JSON such as {"username": ..., "password": ...}.',
    });
  }
  return value as Record<string, string>;
}
