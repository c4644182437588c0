// Streams a download operation's blob: metadata in `ocm-blob`, bytes with HTTP flow control as backpressure.
import { once } from "node:events";
import type { ServerResponse } from "node:http";
import { finished } from "node:stream/promises";
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
  // Rejects when the host hangs up before the last byte is handed to the socket.
  const done = finished(res);
  done.catch(() => undefined);
  await writeBody(res, first, second, iterator, signal);
  await done;
}

/**
 * Writes the blob's chunks one behind: a chunk is sent only once the next one (or the end) has arrived.
 * A producer that fails at the very end, e.g. on a digest check after the last byte, then leaves the body
 * short of its content-length, so the host sees an aborted body instead of a complete, wrong one. Chunks
 * go straight to `res.write`; only a full socket buffer (or the host hanging up) makes it wait.
 */
async function writeBody(
  res: ServerResponse,
  first: IteratorResult<Uint8Array>,
  second: IteratorResult<Uint8Array>,
  iterator: AsyncIterator<Uint8Array>,
  signal: AbortSignal,
): Promise<void> {
  if (first.done) {
    res.end();
    return;
  }
  let held = first.value;
  try {
    for (let next = second; !next.done; next = await iterator.next()) {
      // Rejects with an AbortError at once when the host has hung up.
      if (!res.write(held) || signal.aborted) await once(res, "drain", { signal });
      held = next.value;
    }
  } finally {
    // Lets the blob's producer release what it holds when the host stops reading.
    await iterator.return?.();
  }
  res.end(held);
}
