// Hashes and counts bytes as they stream past, so a blob is checked against its digest and size without
// being held in memory. The one meter of the host, the operations, the SDK and the plugins; it computes,
// it reads and writes nothing itself.
import { createHash } from "node:crypto";

export interface DigestMeter {
  /** The node:crypto algorithm, also the digest's prefix (`sha256`). */
  readonly algorithm: string;
  /** Bytes seen so far. */
  readonly size: number;
  /** Passes `source` through, hashing and counting every chunk (a `pipeline` stage). */
  pass(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array>;
  /** Hashes and counts a chunk that travels by other means. */
  update(chunk: Uint8Array): void;
  /** The hex digest of everything seen; the meter takes no more bytes after it. */
  hex(): string;
  /** `<algorithm>:<hex>`, as OCI and CTF name blobs. */
  digest(): string;
}

/** A meter for `algorithm` (default sha256). */
export function createDigestMeter(algorithm = "sha256"): DigestMeter {
  const hash = createHash(algorithm);
  let size = 0;
  let hex: string | undefined;
  const meter: DigestMeter = {
    algorithm,
    get size() {
      return size;
    },
    async *pass(source) {
      for await (const chunk of source) {
        meter.update(chunk);
        yield chunk;
      }
    },
    update(chunk) {
      hash.update(chunk);
      size += chunk.byteLength;
    },
    hex() {
      hex ??= hash.digest("hex");
      return hex;
    },
    digest: () => `${algorithm}:${meter.hex()}`,
  };
  return meter;
}
