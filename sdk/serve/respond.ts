// Writes JSON answers and the contract's error body `{code, message, hint?, details?}`.
import type { ServerResponse } from "node:http";
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
  if (res.headersSent) {
    res.destroy(error);
    res.socket?.destroy();
  } else {
    // Refused before its body was read (401 on an upload, a bad request header): the unread bytes would
    // spoil the next request on this connection, so the answer says the connection ends (#11).
    if (res.req?.complete === false) res.setHeader("connection", "close");
    sendJson(res, status, error.toJSON());
  }
  return error;
}
