// Streams a download operation's blob: metadata in `ocm-blob`, bytes with HTTP flow control as backpressure.
import type { ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Blob } from "../../core/protocol/common.js";
import { BLOB_CONTENT_TYPE, BLOB_HEADER, encodeHeaderJson } from "../../core/protocol/routes.js";

/**
 * Sends `blob` as a 200 answer. The first chunks are read before the headers go out, so a blob that fails
 * at once (a missing file) still gets a proper error answer. A failure after that rejects with the
 * headers sent; the caller then destroys the connection so the host sees an aborted body.
 */
export async function sendBlob(res: ServerResponse, blob: Blob, signal: AbortSignal): Promise<void> {
  const { content, ...info } = blob;
  const iterator = content[Symbol.asyncIterator]();
  // Two chunks are read before the headers go out: a small blob that fails at its end (a digest check
  // after the last byte) then still gets a proper error answer instead of an aborted body.
  const first = await iterator.next();
  const second = first.done ? first : await iterator.next();
  // A blob that yields more or fewer bytes than its announced size fails instead of corrupting the stream.
  res.strictContentLength = info.size !== undefined;
  res.writeHead(200, {
    "content-type": BLOB_CONTENT_TYPE,
    [BLOB_HEADER]: encodeHeaderJson(info),
    ...(info.size === undefined ? {} : { "content-length": info.size }),
  });
  await pipeline(Readable.from(resume(first, second, iterator)), res, { signal });
}

/**
 * Yields the blob's chunks one behind: a chunk is sent only once the next one (or the end) has arrived.
 * A producer that fails at the very end, e.g. on a digest check after the last byte, then leaves the body
 * short of its content-length, so the host sees an aborted body instead of a complete, wrong one.
 */
async function* resume(
  first: IteratorResult<Uint8Array>,
  second: IteratorResult<Uint8Array>,
  iterator: AsyncIterator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  if (first.done) return;
  let held = first.value;
  try {
    for (let next = second; !next.done; next = await iterator.next()) {
      yield held;
      held = next.value;
    }
  } finally {
    // Lets the blob's producer release what it holds when the host stops reading.
    await iterator.return?.();
  }
  yield held;
}
