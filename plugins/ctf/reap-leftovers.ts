// Removes what killed writers left behind: temp files (`*.tmp`, `blobs/.upload-*`) beside or inside a CTF
// and the `ocm-ctf-<pid>-<start>-*` session directories of archive writes in the temp directory. A file is
// removed only when the owner named in it is dead; untagged leftovers (older versions) only when a stale
// lock was taken over, since then no live writer can own them.
import { readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isOwnerAlive, ownerOf } from "../../sdk/archive/index.js";

/** Prefix of the directories an archive write keeps its index and new blobs in. */
export const TEMP_DIR_PREFIX = "ocm-ctf-";

const isLeftover = (name: string) => name.startsWith(".upload-") || name.endsWith(".tmp");

function deadOwner(name: string, untaggedToo: boolean): boolean {
  const owner = ownerOf(name);
  return owner === undefined ? untaggedToo : !isOwnerAlive(owner.pid, owner.start);
}

/** Removes leftover temp files in `dir` whose name passes `mine` and whose writer is dead. */
export async function reapTempFiles(
  dir: string,
  mine: (name: string) => boolean,
  untaggedToo: boolean,
): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => mine(name) && isLeftover(name) && deadOwner(name, untaggedToo))
      .map((name) => rm(join(dir, name), { force: true })),
  );
}

/** Removes the session directories of dead writers from the temp directory. */
export async function reapTempDirs(): Promise<void> {
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => {
        const match = /^ocm-ctf-(\d+)-(\d+)-/.exec(name);
        return match !== null && !isOwnerAlive(Number(match[1]), match[2]);
      })
      .map((name) => rm(join(tmpdir(), name), { recursive: true, force: true })),
  );
}
