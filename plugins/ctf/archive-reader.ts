// Reads a tar or tgz CTF without unpacking it: one streaming pass checks every entry (links, paths,
// duplicates, truncation) and keeps the index and small blobs in memory (bounded); a blob that was not kept
// is found by another pass and streamed straight out. Nothing is written to disk, however large the
// archive expands. A write session reads the CTF it rewrites the same way (archive-root.ts).
import { INDEX_CAP, INDEX_FILE, parseArtifactIndex, type ArtifactIndex } from "./artifact-index.js";
import { archiveEntries } from "../../sdk/archive/index.js";
import { CTF_HOLDS, invalidError } from "./ctf-errors.js";
import {
  SMALL_BLOB_CAP,
  blobEntryName,
  checkDigest,
  checkSize,
  missingBlobError,
  type CtfReader,
  type OpenedBlob,
  verifiedStream,
} from "./ctf-reader.js";

/** Blobs up to this size are kept from the checking pass, up to KEEP_TOTAL bytes in all. */
const KEEP_ENTRY = 1 << 20;
const KEEP_TOTAL = 32 << 20;

async function* fromBuffer(bytes: Buffer): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** A tar or tgz CTF opened for reading, with what the checking pass found. */
export interface ArchiveReader extends CtfReader {
  /** Every file entry of the archive (`artifact-index.json`, `blobs/sha256.<hex>`) with its size. */
  readonly files: ReadonlyMap<string, number>;
  /** The bytes of artifact-index.json as the archive holds them; undefined when it holds none. */
  readonly indexBytes: Buffer | undefined;
}

/** Opens the tar (or tgz, with `gzip`) CTF `archive` for reading; checks every entry first. */
export async function openArchiveReader(archive: string, gzip: boolean): Promise<ArchiveReader> {
  const sizes = new Map<string, number>();
  const kept = new Map<string, Buffer>();
  let budget = KEEP_TOTAL;
  for await (const entry of archiveEntries(archive, gzip, { holds: CTF_HOLDS })) {
    if (entry.type !== "file") continue;
    sizes.set(entry.name, entry.size);
    if (entry.name === INDEX_FILE) kept.set(entry.name, await entry.read(INDEX_CAP));
    else if (entry.name.startsWith("blobs/") && entry.size <= KEEP_ENTRY && entry.size <= budget) {
      kept.set(entry.name, await entry.read(KEEP_ENTRY));
      budget -= entry.size;
    }
  }

  /** Streams the body of `name` by walking to it again. */
  async function* body(name: string): AsyncGenerator<Uint8Array> {
    for await (const entry of archiveEntries(archive, gzip, { holds: CTF_HOLDS })) {
      if (entry.name !== name) continue;
      yield* entry.chunks();
      return;
    }
    throw invalidError(archive, `entry ${name} disappeared while it was read`);
  }

  const sizeOf = (digest: string): { name: string; size: number } => {
    const name = blobEntryName(archive, digest);
    const size = sizes.get(name);
    if (size === undefined) throw missingBlobError(archive, digest);
    return { name, size };
  };

  return {
    files: sizes,
    indexBytes: kept.get(INDEX_FILE),

    readIndex(): Promise<ArtifactIndex> {
      const bytes = kept.get(INDEX_FILE);
      if (bytes === undefined) throw invalidError(archive, `holds no ${INDEX_FILE}`);
      return Promise.resolve(parseArtifactIndex(bytes.toString("utf8"), archive));
    },

    async readBlob(digest) {
      const { name, size } = sizeOf(digest);
      let bytes = kept.get(name);
      if (bytes === undefined) {
        if (size > SMALL_BLOB_CAP) {
          throw invalidError(
            archive,
            `blob ${digest} is ${size} bytes, too large for a manifest or descriptor`,
          );
        }
        const chunks: Uint8Array[] = [];
        for await (const chunk of body(name)) chunks.push(chunk);
        bytes = Buffer.concat(chunks);
      }
      return checkDigest(archive, digest, bytes);
    },

    openBlob(digest, expected): Promise<OpenedBlob> {
      const { name, size } = sizeOf(digest);
      checkSize(archive, digest, expected, size);
      const bytes = kept.get(name);
      const source = bytes === undefined ? body(name) : fromBuffer(bytes);
      return Promise.resolve({ size, content: verifiedStream(source, archive, digest) });
    },
  };
}
