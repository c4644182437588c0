// Routes every HTTP request of a plugin server: secret check, control routes, capability routes, errors.
// Whatever a handler throws becomes an error answer; it never reaches the process.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  HEALTH_ROUTE,
  OcmError,
  SHUTDOWN_ROUTE,
  STATUS_ROUTE,
  TEST_CONNECTION_ROUTE,
  parseCapabilityRoute,
  type PluginDefinition,
} from "../../core/index.js";
import { log } from "../log.js";
import type { Activity } from "../watch/activity.js";
import { createAuthorizer } from "./authorize.js";
import { callCapability } from "./call-capability.js";
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
  return (req, res) => {
    const path = (req.url ?? "/").split("?")[0] as string;
    const aborter = new AbortController();
    context.activity.begin();
    log.trace("request received", { method: req.method, route: path });
    res.once("close", () => {
      context.activity.end();
      if (!res.writableFinished) aborter.abort(new Error("the host closed the connection"));
    });
    if (context.stopping()) res.setHeader("connection", "close");
    route(context, authorize, path, req, res, aborter.signal).catch((error: unknown) => {
      if (aborter.signal.aborted && isHostGone(error)) {
        log.debug("request aborted by the host", { route: path, err: error });
        return;
      }
      sendError(res, error, path);
    });
  };
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
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  authorize(req);
  const { definition } = context;
  const method = req.method ?? "GET";
  if (path === HEALTH_ROUTE && method === "GET") return sendJson(res, 200, health(definition, context.id));
  if (path === STATUS_ROUTE && method === "GET")
    return sendJson(res, 200, await connectionStatus(definition));
  if (path === TEST_CONNECTION_ROUTE && method === "POST") {
    return sendJson(res, 200, await testConnection(definition, req));
  }
  if (path === SHUTDOWN_ROUTE && method === "POST") {
    sendJson(res, 200, {});
    return context.requestStop("shutdown requested");
  }
  const call = parseCapabilityRoute(path);
  if (call && method === "POST") return callCapability(definition, call, req, res, signal);
  throw new OcmError({
    code: "OCM_RPC_NOT_FOUND",
    message: `no route ${method} ${path}`,
    hint: "Routes: GET /v1/health, GET /v1/status, POST /v1/test-connection, POST /v1/shutdown, POST /v1/cap/<capability>/<type>/<operation>.",
  });
}
