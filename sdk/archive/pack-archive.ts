// Writes a directory as a tar or tgz archive the way the OCM Go tool does (the given entries in order,
// uid/gid 0, mtime 2022-01-01), atomically (replace-file.ts). `tar` is imported on the first pack, so a
// command that writes no archive never loads it.
import { replaceFile } from "./replace-file.js";

const MTIME = new Date("2022-01-01T00:00:00Z");

/** Packs `entries` (paths relative to `root`; directories are not recursed into) into `archive` atomically. */
export async function packArchive(
  root: string,
  archive: string,
  gzip: boolean,
  entries: readonly string[],
): Promise<void> {
  const { create } = await import("tar");
  await replaceFile(archive, (temp) =>
    create({ file: temp, cwd: root, gzip, portable: true, mtime: MTIME, noDirRecurse: true, mode: 0o644 }, [
      ...entries,
    ]),
  );
}
