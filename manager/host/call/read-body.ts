// Reads a plugin's JSON answer or error body with a bound: a plugin is untrusted code, and an answer of
// hundreds of megabytes must cost the host a clear error, not gigabytes of memory.
import type { Dispatcher } from "undici";
import { OcmError } from "../../../core/index.js";

/** Default bound on a JSON answer of a plugin (PluginManagerOptions.maxResponseSize). */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** Bound on an error body read from a plugin; its message and hint are then cut much shorter. */
export const MAX_ERROR_BODY_BYTES = 256 * 1024;

/** `n` bytes as a short human figure (`16 MiB`, `512 KiB`, `100 bytes`). */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/**
 * The body's bytes, or undefined when there are more than `limit` (the rest is not read: the connection is
 * dropped). A declared content-length above the limit is refused before any byte is read.
 */
export async function readBounded(
  response: Dispatcher.ResponseData,
  limit: number,
): Promise<Buffer | undefined> {
  const declared = Number(response.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    response.body.destroy();
    return undefined;
  }
  // Read with listeners, not `for await`: this runs for every call, and a stream's async iterator costs a
  // promise per chunk and a watcher of its end (a few µs of each small call in a profile, #15).
  const body = response.body;
  return new Promise<Buffer | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    body.on("data", (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total <= limit) {
        chunks.push(chunk);
        return;
      }
      body.destroy();
      resolve(undefined);
    });
    body.once("end", () => resolve(Buffer.concat(chunks, total)));
    body.once("error", reject);
  });
}

export interface JsonBodyContext {
  pluginId: string;
  /** The call, e.g. `getComponentVersion (hostile, CommonTransportFormat/v1)`. */
  what: string;
  limit: number;
}

/** Parses a plugin's JSON answer of at most `limit` bytes. */
export async function readJsonBody(
  response: Dispatcher.ResponseData,
  context: JsonBodyContext,
): Promise<unknown> {
  const bytes = await readBounded(response, context.limit);
  if (bytes === undefined) {
    throw new OcmError({
      code: "OCM_RPC_RESPONSE_TOO_LARGE",
      message: `plugin ${context.pluginId} answered ${context.what} with more than ${formatBytes(context.limit)} of JSON, the limit on a plugin answer`,
      hint: "This is a fault of the plugin. If the answer is genuinely this large, raise maxResponseSize in the plugin.config.ocm.software/v1 entry of the ocm config.",
      details: { plugin: context.pluginId, limit: context.limit },
    });
  }
  try {
    return JSON.parse(bytes.toString("utf8")) as unknown;
  } catch (error) {
    throw new OcmError({
      code: "OCM_RPC_BAD_RESPONSE",
      message: `plugin ${context.pluginId} answered ${context.what} with a body that is not JSON (${bytes.byteLength} bytes)`,
      hint: "Fix the plugin: a JSON operation answers one JSON document.",
      details: { plugin: context.pluginId },
      cause: error,
    });
  }
}
