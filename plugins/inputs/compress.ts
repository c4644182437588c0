// Optional gzip of an input's bytes: the media type gains `+gzip`, as OCM's `compress: true` does.
import { Readable } from "node:stream";
import { createGzip } from "node:zlib";
import type { Blob, BlobContent } from "../../core/index.js";

export function maybeCompress(
  content: BlobContent,
  mediaType: string,
  compress: boolean | undefined,
  size?: number,
): Blob {
  if (!compress) return { mediaType, content, ...(size === undefined ? {} : { size }) };
  const gzip = Readable.from(content).pipe(createGzip());
  return { mediaType: mediaType.endsWith("gzip") ? mediaType : `${mediaType}+gzip`, content: gzip };
}
