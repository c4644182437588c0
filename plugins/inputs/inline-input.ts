// The `utf8` and `binary` inputs: content written inline in the constructor.
import { Buffer } from "node:buffer";
import type { Blob } from "../../core/index.js";
import { maybeCompress } from "./compress.js";
import { readSpec } from "./read-spec.js";
import { binaryInputSchema, utf8InputSchema } from "./specs.js";

async function* once(data: Uint8Array): AsyncGenerator<Uint8Array> {
  yield data;
}

export function processUtf8Input(input: unknown): Blob {
  const spec = readSpec(utf8InputSchema, input, "utf8");
  const data = Buffer.from(spec.text, "utf8");
  return maybeCompress(once(data), spec.mediaType ?? "application/octet-stream", spec.compress, data.length);
}

export function processBinaryInput(input: unknown): Blob {
  const spec = readSpec(binaryInputSchema, input, "binary");
  const data = Buffer.from(spec.data, "base64");
  return maybeCompress(once(data), spec.mediaType ?? "application/octet-stream", spec.compress, data.length);
}
