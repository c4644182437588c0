// Optional gzip of an input's bytes: the media type gains `+gzip`, as OCM's `compress: true` does.
import { Readable, pipeline } from "node:stream";
import { createGzip } from "node:zlib";
import type { Blob, BlobContent } from "../../core/index.js";

export function maybeCompress(
  content: BlobContent,
  mediaType: string,
  compress: boolean | undefined,
  size?: number,
): Blob {
  if (!compress) return { mediaType, content, ...(size === undefined ? {} : { size }) };
  // pipeline, not pipe: a read error of the source must reach whoever consumes the gzip stream.
  const gzip = pipeline(Readable.from(content), createGzip(), () => {});
  return { mediaType: mediaType.endsWith("gzip") ? mediaType : `${mediaType}+gzip`, content: gzip };
}
