// A tar or tgz CTF open for writing, without unpacking it: the base archive stays where it is and is read
// in place (archive-reader.ts); a private directory holds only the index and the blobs written now. A blob
// removed from the base is only recorded. Committing writes a new archive beside the old one and renames it
// over it: the index first, then `blobs`, then the base's blobs copied entry by entry in one streaming pass
// (their bytes as they are, the removed ones left out), then the new blobs, as the Go tool lays a CTF out.
import { readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  BLOB_READ_CHUNK,
  archiveEntries,
  openRegularFile,
  readRegularFile,
  writeArchive,
  type ArchiveWriteEntry,
} from "../../sdk/archive/index.js";
import { openArchiveReader, type ArchiveReader } from "./archive-reader.js";
import { INDEX_CAP, INDEX_FILE, writeArtifactIndex } from "./artifact-index.js";
import { CTF_HOLDS } from "./ctf-errors.js";
import { blobEntryName, type CtfReader } from "./ctf-reader.js";
import { openDirectoryReader } from "./directory-reader.js";
import { regularFileSize, type WriteRoot } from "./write-root.js";

/** A tar or tgz CTF open for writing; `commit` makes the change visible. */
export interface ArchiveRoot extends WriteRoot {
  /** Writes the new archive and renames it over the old one (or creates it). */
  commit(): Promise<void>;
}

/** Base entries kept as blobs, as the tar packer kept them before; the session writes only digest names. */
const isBlobEntry = (name: string) => name.startsWith("blobs/sha256.");
const isWrittenBlob = (name: string) => /^sha256\.[a-f0-9]{64}$/.test(name);

/** Streams the file at `path` (not following a link), then closes it. */
async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const handle = await openRegularFile(path, "CTF");
  try {
    yield* handle.createReadStream({ autoClose: false, highWaterMark: BLOB_READ_CHUNK });
  } finally {
    await handle.close();
  }
}

/**
 * Opens the CTF `archive` (tar, or tgz with `gzip`) for writing into the empty directory `dir`; a missing
 * archive (`exists` false) starts empty. Every entry of the base is checked first, as a read checks it.
 */
export async function openArchiveRoot(
  archive: string,
  gzip: boolean,
  dir: string,
  exists: boolean,
): Promise<ArchiveRoot> {
  const base: ArchiveReader | undefined = exists ? await openArchiveReader(archive, gzip) : undefined;
  if (base === undefined) await writeArtifactIndex(dir, { schemaVersion: 1, artifacts: [] });
  else if (base.indexBytes !== undefined)
    await writeFile(join(dir, INDEX_FILE), base.indexBytes, { mode: 0o644, flag: "wx" });
  const removed = new Set<string>();
  const written = (name: string) => regularFileSize(join(dir, name));
  /** True when the blob `name` is the base's: not written now, not removed. */
  const inBase = async (name: string) =>
    base !== undefined && base.files.has(name) && !removed.has(name) && (await written(name)) === undefined;

  async function* entries(): AsyncGenerator<ArchiveWriteEntry> {
    const index = await readRegularFile(join(dir, INDEX_FILE), INDEX_CAP, "CTF");
    yield { name: INDEX_FILE, type: "file", size: index.length, content: [index] };
    yield { name: "blobs", type: "directory" };
    const copied = new Set<string>();
    if (base !== undefined) {
      for await (const entry of archiveEntries(archive, gzip, { holds: CTF_HOLDS })) {
        if (entry.type !== "file" || !isBlobEntry(entry.name) || removed.has(entry.name)) continue;
        copied.add(entry.name);
        yield { name: entry.name, type: "file", size: entry.size, content: entry.chunks() };
      }
    }
    const names = (await readdir(join(dir, "blobs")).catch(() => [] as string[])).filter(isWrittenBlob);
    for (const name of names.map((n) => `blobs/${n}`).sort()) {
      const size = await written(name);
      if (copied.has(name) || size === undefined) continue;
      yield { name, type: "file", size, content: fileChunks(join(dir, name)) };
    }
  }

  return {
    dir,
    where: archive,

    async blobSize(digest) {
      const name = blobEntryName(archive, digest);
      return (await written(name)) ?? ((await inBase(name)) ? base?.files.get(name) : undefined);
    },

    async removeBlob(digest) {
      const name = blobEntryName(archive, digest);
      await rm(join(dir, name), { force: true });
      if (base?.files.has(name)) removed.add(name);
    },

    async holdsNoBlob() {
      const own = await readdir(join(dir, "blobs")).catch(() => [] as string[]);
      const kept = [...(base?.files.keys() ?? [])].filter((name) => isBlobEntry(name) && !removed.has(name));
      return own.length === 0 && kept.length === 0;
    },

    async reader(): Promise<CtfReader> {
      const own = await openDirectoryReader(dir, archive);
      const from = async (digest: string) =>
        base !== undefined && (await inBase(blobEntryName(archive, digest))) ? base : own;
      return {
        readIndex: () => own.readIndex(),
        readBlob: async (digest) => (await from(digest)).readBlob(digest),
        openBlob: async (digest, size) => (await from(digest)).openBlob(digest, size),
      };
    },

    commit: () => writeArchive(archive, gzip, entries()),
  };
}
