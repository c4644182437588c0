// Writes a CTF directory as a tar or tgz archive, laid out as the Go tool lays it out (artifact-index.json,
// then blobs/, then the blobs, uid/gid 0, mtime 2022-01-01), through a temp file beside the archive that is
// renamed over it: until the rename, readers see the old archive whole. The temp name carries the writer
// (`<pid>-<start>`) so that a killed writer's temp file can be reaped.
import { randomBytes } from "node:crypto";
import { readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { create } from "tar";
import { ownerTag } from "./process-owner.js";

const MTIME = new Date("2022-01-01T00:00:00Z");

/** Packs the CTF at `root` into `archive` atomically. */
export async function packArchive(root: string, archive: string, gzip: boolean): Promise<void> {
  const blobs = (await readdir(join(root, "blobs")).catch(() => [] as string[]))
    .filter((name) => name.startsWith("sha256."))
    .sort()
    .map((name) => `blobs/${name}`);
  const temp = join(
    dirname(archive),
    `.${basename(archive)}.${ownerTag()}-${randomBytes(6).toString("hex")}.tmp`,
  );
  try {
    await create(
      { file: temp, cwd: root, gzip, portable: true, mtime: MTIME, noDirRecurse: true, mode: 0o644 },
      ["artifact-index.json", "blobs", ...blobs],
    );
    await rename(temp, archive);
  } finally {
    await rm(temp, { force: true });
  }
}
