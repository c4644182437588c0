// Writes a directory as a tar or tgz archive the way the OCM Go tool does (the given entries in order,
// uid/gid 0, mtime 2022-01-01), through a temp file beside the archive that is renamed over it: until the
// rename, readers see the old archive whole. The temp name carries the writer (`<pid>-<start>`) so that a
// killed writer's temp file can be reaped.
import { randomBytes } from "node:crypto";
import { rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { create } from "tar";
import { ownerTag } from "./process-owner.js";

const MTIME = new Date("2022-01-01T00:00:00Z");

/** Packs `entries` (paths relative to `root`; directories are not recursed into) into `archive` atomically. */
export async function packArchive(
  root: string,
  archive: string,
  gzip: boolean,
  entries: readonly string[],
): Promise<void> {
  const temp = join(
    dirname(archive),
    `.${basename(archive)}.${ownerTag()}-${randomBytes(6).toString("hex")}.tmp`,
  );
  try {
    await create(
      { file: temp, cwd: root, gzip, portable: true, mtime: MTIME, noDirRecurse: true, mode: 0o644 },
      [...entries],
    );
    await rename(temp, archive);
  } finally {
    await rm(temp, { force: true });
  }
}
