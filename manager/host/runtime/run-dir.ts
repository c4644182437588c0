// Private directories a run creates under $TMPDIR (plugin sockets, `plugin verify` scratch space): named
// `<prefix><random>`, mode 0700, and recorded in the host's runtime record before they exist, so a run
// killed at any moment leaves nothing the next run does not remove.
import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RecordedPath } from "./host-record.js";
import { hostState } from "./host-state.js";

export interface RunDir {
  path: string;
  /** Removes the directory and its record entry. */
  remove(): Promise<void>;
}

/** Creates `<base>/<prefix>XXXXXXXX` (0700). `prefix` must start with `ocm-` for the reaper to remove it. */
export async function createRunDir(
  prefix: string,
  kind: RecordedPath["kind"],
  base = tmpdir(),
): Promise<RunDir> {
  const state = hostState();
  for (;;) {
    const path = join(base, `${prefix}${randomBytes(4).toString("hex")}`);
    await state.addPath(kind, path);
    try {
      await mkdir(path, { mode: 0o700 });
    } catch (error) {
      await state.removePath(path);
      if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw error;
    }
    return {
      path,
      remove: async () => {
        await rm(path, { recursive: true, force: true });
        await state.removePath(path);
      },
    };
  }
}
