// What a write session works on, the same for a directory CTF and a tar/tgz one. The index and the blobs a
// session writes are files in `dir`; the blobs the CTF held before may live elsewhere (inside the archive
// being rewritten, archive-root.ts), so work asks the root about them and never looks into `dir/blobs`.
import { lstat, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { blobEntryName, type CtfReader } from "./ctf-reader.js";
import { openDirectoryReader } from "./directory-reader.js";

/** A CTF open for writing. */
export interface WriteRoot {
  /** The directory holding artifact-index.json and, in `blobs/`, the blobs written now. */
  readonly dir: string;
  /** The CTF's own path, for messages. */
  readonly where: string;
  /** The size of the blob the CTF holds under `digest`; undefined when it holds none. */
  blobSize(digest: string): Promise<number | undefined>;
  /** Removes the blob `digest` from the CTF, if it holds it. */
  removeBlob(digest: string): Promise<void>;
  /** True when the CTF holds no blob (and no blob is being written into it). */
  holdsNoBlob(): Promise<boolean>;
  /** The CTF as it stands now (index in `dir`, blobs wherever they are), for reading manifests and blobs. */
  reader(): Promise<CtfReader>;
}

/** The size of the regular file at `path`; undefined when it is missing or not a regular file (a link). */
export const regularFileSize = (path: string): Promise<number | undefined> =>
  lstat(path).then(
    (info) => (info.isFile() ? info.size : undefined),
    () => undefined,
  );

/** A directory CTF, written in place. */
export function directoryRoot(path: string): WriteRoot {
  const blobPath = (digest: string) => join(path, blobEntryName(path, digest));
  return {
    dir: path,
    where: path,
    blobSize: (digest) => regularFileSize(blobPath(digest)),
    removeBlob: (digest) => rm(blobPath(digest), { force: true }),
    holdsNoBlob: async () => (await readdir(join(path, "blobs")).catch(() => [] as string[])).length === 0,
    reader: () => openDirectoryReader(path),
  };
}
