// Writes a tar or tgz archive from a stream of entries, atomically (replace-file.ts): each header is encoded
// with the `tar` package's Header (imported on the first write, so a command that writes no archive never
// loads it), each body is streamed through, and the archive ends with the two zero blocks of the
// end-of-archive marker; a tgz is gzipped on the fly. Headers are the OCM Go tool's: USTAR, mode 0644 for
// files and 0755 for directories, uid/gid 0, no user or group names, mtime 2022-01-01.
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import type { Header as TarHeader } from "tar";
import { malformedArchiveError } from "./archive-errors.js";
import { replaceFile } from "./replace-file.js";

const BLOCK = 512;
const MTIME = new Date("2022-01-01T00:00:00Z");
/** The largest size the octal field holds; above it Header writes GNU base-256, which tar readers understand. */
const OCTAL_SIZE_MAX = 0o77777777777;

/** One entry to write: a directory, or a file of `size` bytes whose body `content` yields. */
export type ArchiveWriteEntry =
  | { name: string; type: "directory" }
  | { name: string; type: "file"; size: number; content: AsyncIterable<Uint8Array> | Iterable<Uint8Array> };

async function* tarBytes(
  archive: string,
  Header: typeof TarHeader,
  entries: AsyncIterable<ArchiveWriteEntry>,
): AsyncGenerator<Buffer> {
  for await (const entry of entries) {
    const size = entry.type === "file" ? entry.size : 0;
    const header = new Header({
      path: entry.name,
      type: entry.type === "file" ? "File" : "Directory",
      mode: entry.type === "file" ? 0o644 : 0o755,
      uid: 0,
      gid: 0,
      size,
      mtime: MTIME,
    });
    const block = Buffer.alloc(BLOCK);
    if (header.encode(block, 0) && size <= OCTAL_SIZE_MAX)
      throw malformedArchiveError(archive, `cannot hold the entry name ${JSON.stringify(entry.name)}`);
    yield block;
    if (entry.type === "directory") continue;
    let written = 0;
    for await (const chunk of entry.content) {
      written += chunk.length;
      if (written > size) break;
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
    if (written !== size)
      throw new Error(
        `archive ${archive}: entry ${entry.name} has ${written} bytes, not ${size} as announced`,
      );
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (padding > 0) yield Buffer.alloc(padding);
  }
  yield Buffer.alloc(2 * BLOCK);
}

/**
 * Writes `entries` in order as the tar (or, with `gzip`, tgz) `archive`, replacing it atomically. Read each
 * entry's content to its end before the next entry is asked for, so entries may come from a walk of another
 * archive. A failure leaves `archive` as it was and no temp file beside it.
 */
export async function writeArchive(
  archive: string,
  gzip: boolean,
  entries: AsyncIterable<ArchiveWriteEntry>,
): Promise<void> {
  const { Header } = await import("tar");
  await replaceFile(archive, async (temp) => {
    const bytes = tarBytes(archive, Header, entries);
    const file = createWriteStream(temp, { flags: "wx", mode: 0o644 });
    await (gzip ? pipeline(bytes, createGzip(), file) : pipeline(bytes, file));
  });
}
