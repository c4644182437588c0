// Streams a download operation's blob: metadata in `ocm-blob`, bytes with HTTP flow control as backpressure.
import type { ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Blob } from "../../core/protocol/common.js";
import { BLOB_CONTENT_TYPE, BLOB_HEADER, encodeHeaderJson } from "../../core/protocol/routes.js";

/**
 * Sends `blob` as a 200 answer. The first chunk is read before the headers go out, so a blob that fails
 * at once (a missing file) still gets a proper error answer. A failure after that rejects with the
 * headers sent; the caller then destroys the connection so the host sees an aborted body.
 */
export async function sendBlob(res: ServerResponse, blob: Blob, signal: AbortSignal): Promise<void> {
  const { content, ...info } = blob;
  const iterator = content[Symbol.asyncIterator]();
  const first = await iterator.next();
  // A blob that yields more or fewer bytes than its announced size fails instead of corrupting the stream.
  res.strictContentLength = info.size !== undefined;
  res.writeHead(200, {
    "content-type": BLOB_CONTENT_TYPE,
    [BLOB_HEADER]: encodeHeaderJson(info),
    ...(info.size === undefined ? {} : { "content-length": info.size }),
  });
  await pipeline(Readable.from(resume(first, iterator)), res, { signal });
}

async function* resume(
  first: IteratorResult<Uint8Array>,
  iterator: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  if (first.done) return;
  yield first.value;
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  } finally {
    // Lets the blob's producer release what it holds when the host stops reading.
    await iterator.return?.();
  }
}
