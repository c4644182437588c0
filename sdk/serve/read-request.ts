// Reads a call's JSON request: from the body for json and download operations, from `ocm-request` for uploads.
import type { IncomingMessage } from "node:http";
import { OcmError, REQUEST_HEADER, decodeHeaderJson } from "../../core/index.js";

/** JSON bodies are requests, never blobs; anything this large is a mistake. */
const MAX_JSON_BODY = 64 * 1024 * 1024;

/** Reads and parses the JSON body; an empty body is `undefined`. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_JSON_BODY) throw badRequest(`request body exceeds ${MAX_JSON_BODY} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (error) {
    throw badRequest(`request body is not JSON: ${(error as Error).message}`);
  }
}

/** Decodes the base64url JSON request an upload carries in its `ocm-request` header. */
export function readRequestHeader(req: IncomingMessage): unknown {
  const value = req.headers[REQUEST_HEADER];
  if (typeof value !== "string" || value === "") throw badRequest(`missing ${REQUEST_HEADER} header`);
  try {
    return decodeHeaderJson(value);
  } catch (error) {
    throw badRequest(`${REQUEST_HEADER} header is not base64url JSON: ${(error as Error).message}`);
  }
}

function badRequest(message: string): OcmError {
  return new OcmError({
    code: "OCM_RPC_BAD_REQUEST",
    message,
    hint: "Send the request as the contract describes (adr/0001-plugins.md, Routes).",
  });
}
