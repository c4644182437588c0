// The bytes of a tar or tgz archive as a sequential source: a plain tar is read with positional reads, so
// skipping an entry costs nothing; a tgz is gunzipped as a stream, so nothing is ever unpacked to disk.
// gzip failures become OCM_ARCHIVE_TRUNCATED (the stream ends early) or OCM_REPOSITORY_INVALID.
import { createReadStream } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { malformedArchiveError, truncatedError } from "./archive-errors.js";

const CHUNK = 1 << 20;

/** A sequential reader of the (uncompressed) tar bytes. */
export interface ArchiveSource {
  /** Up to `n` bytes; fewer only at the end. */
  read(n: number): Promise<Buffer>;
  /** Skips `n` bytes; returns how many were there. */
  skip(n: number): Promise<number>;
  close(): Promise<void>;
}

class FileSource implements ArchiveSource {
  #position = 0;
  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
  ) {}

  async read(n: number): Promise<Buffer> {
    const buffer = Buffer.alloc(Math.max(0, Math.min(n, this.size - this.#position)));
    let done = 0;
    while (done < buffer.length) {
      const { bytesRead } = await this.handle.read(buffer, done, buffer.length - done, this.#position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    this.#position += done;
    return buffer.subarray(0, done);
  }

  skip(n: number): Promise<number> {
    const skipped = Math.max(0, Math.min(n, this.size - this.#position));
    this.#position += skipped;
    return Promise.resolve(skipped);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

class GunzipSource implements ArchiveSource {
  readonly #file;
  readonly #gunzip = createGunzip({ chunkSize: CHUNK });
  readonly #chunks: AsyncIterator<Buffer>;
  #pending: Buffer = Buffer.alloc(0);
  #ended = false;

  constructor(private readonly archive: string) {
    this.#file = createReadStream(archive, { highWaterMark: CHUNK });
    this.#file.on("error", (error) => this.#gunzip.destroy(error));
    this.#file.pipe(this.#gunzip);
    this.#chunks = this.#gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  async #fill(): Promise<boolean> {
    if (this.#ended) return false;
    let next: IteratorResult<Buffer>;
    try {
      next = await this.#chunks.next();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "Z_BUF_ERROR") throw truncatedError(this.archive, "the gzip stream ends early", error);
      if (code?.startsWith("Z_"))
        throw malformedArchiveError(this.archive, "is not a valid gzip stream", error);
      throw error;
    }
    if (next.done === true) {
      this.#ended = true;
      return false;
    }
    this.#pending = this.#pending.length === 0 ? next.value : Buffer.concat([this.#pending, next.value]);
    return true;
  }

  async read(n: number): Promise<Buffer> {
    while (this.#pending.length < n && (await this.#fill()));
    const out = this.#pending.subarray(0, n);
    this.#pending = this.#pending.subarray(out.length);
    return out;
  }

  async skip(n: number): Promise<number> {
    let skipped = 0;
    while (skipped < n) {
      if (this.#pending.length === 0 && !(await this.#fill())) break;
      const step = Math.min(n - skipped, this.#pending.length);
      this.#pending = this.#pending.subarray(step);
      skipped += step;
    }
    return skipped;
  }

  close(): Promise<void> {
    this.#file.destroy();
    this.#gunzip.destroy();
    return Promise.resolve();
  }
}

/** Opens `archive` for sequential reading of its tar bytes. */
export async function openArchiveSource(archive: string, gzip: boolean): Promise<ArchiveSource> {
  if (gzip) return new GunzipSource(archive);
  const handle = await open(archive, "r");
  try {
    return new FileSource(handle, (await handle.stat()).size);
  } catch (error) {
    await handle.close();
    throw error;
  }
}
