// Hashes bytes as they stream past, so a blob is checked against its digest without being buffered.
import { createHash } from "node:crypto";

/** Tracks the sha256 and size of a stream; `digest()` is valid once the stream ended. */
export class DigestMeter {
  private readonly hash = createHash("sha256");
  private done = false;
  size = 0;

  /** Passes `source` through, hashing every chunk. */
  async *pass(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      this.hash.update(chunk);
      this.size += chunk.length;
      yield chunk;
    }
    this.done = true;
  }

  /** Feeds a chunk that is sent by other means. */
  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
    this.size += chunk.length;
  }

  /** `sha256:<hex>` of everything seen. */
  digest(): string {
    this.done = true;
    return `sha256:${this.hash.digest("hex")}`;
  }

  /** True once the passed stream ended. */
  get finished(): boolean {
    return this.done;
  }
}

/** The sha256 digest of bytes. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
