// Writes JSON answers and the contract's error body `{code, message, hint?, details?}`.
import type { IncomingMessage, ServerResponse } from "node:http";
import { toOcmError, type OcmError } from "../../core/errors.js";
import { statusForErrorCode } from "../../core/protocol/routes.js";
import { log } from "../log.js";

/** Sends `body` as JSON with `status`. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Sends anything thrown as the wire error with its status. When the answer has already begun (a blob
 * midway), the connection is destroyed instead, so the host sees an aborted body rather than short data.
 */
export function sendError(res: ServerResponse, thrown: unknown, route: string): OcmError {
  const error = toOcmError(thrown);
  const status = statusForErrorCode(error.code);
  if (status >= 500) log.error("request failed", { route, code: error.code, err: thrown });
  else log.debug("request refused", { route, code: error.code, message: error.message });
  const req: IncomingMessage | undefined = res.req;
  if (res.headersSent) {
    res.destroy(error);
    res.socket?.destroy();
  } else if (req !== undefined && mayDrain(req, error)) {
    // Refused before its body was read (a bad request header, a version that exists): the body is read to
    // its end first. Closing on the unread bytes would break the host's write of them (a broken pipe or a
    // reset) before this answer reached it.
    drain(req, () => sendJson(res, status, error.toJSON()));
  } else {
    // A stranger's upload (401) is not read, nor one a handler left broken: the unread bytes would spoil
    // the next request on this connection, so the answer says the connection ends (#11).
    if (req?.complete === false) res.setHeader("connection", "close");
    sendJson(res, status, error.toJSON());
  }
  return error;
}

/** Whether the unread rest of `req` is to be read before the answer: not a stranger's, nor a broken one. */
function mayDrain(req: IncomingMessage, error: OcmError): boolean {
  return !req.complete && !req.destroyed && error.code !== "OCM_RPC_UNAUTHORIZED";
}

/** Reads and drops what is left of `req`, then calls `then`; nothing when the host goes away meanwhile. */
function drain(req: IncomingMessage, then: () => void): void {
  req.once("end", then);
  req.resume();
}
