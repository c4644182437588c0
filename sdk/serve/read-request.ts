// Reads a call's JSON request: from the body for json and download operations, from `ocm-request` for uploads.
import type { IncomingMessage } from "node:http";
import { OcmError } from "../../core/errors.js";
import { REQUEST_HEADER, decodeHeaderJson } from "../../core/protocol/routes.js";

/** JSON bodies are requests, never blobs; anything this large is a mistake. */
const MAX_JSON_BODY = 64 * 1024 * 1024;

/** Reads and parses the JSON body; an empty body is `undefined`. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readBodyText(req);
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`request body is not JSON: ${(error as Error).message}`);
  }
}

/** Collects the body with plain stream events; an async iterator per request costs more than the read. */
function readBodyText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_JSON_BODY) {
        cleanup();
        req.resume();
        reject(badRequest(`request body exceeds ${MAX_JSON_BODY} bytes`));
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(
        chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8"),
      );
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(Object.assign(new Error("the request body was cut off"), { code: "ECONNRESET" }));
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
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
