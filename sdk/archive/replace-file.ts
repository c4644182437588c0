// Replaces a file atomically: the new content is written to a temp file beside it, flushed to the disk and
// renamed over the old one, so readers see the old file whole until the rename and the new one whole after
// it. The temp name carries the writer (`.<name>.<pid>-<start>-<random>.tmp`, see process-owner.ts) so that a
// killed writer's temp file can be reaped; a failed write removes its own.
import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ownerTag } from "./process-owner.js";

/** Writes the new `target` with `write` (given the temp path to create) and renames it over the old one. */
export async function replaceFile(target: string, write: (temp: string) => Promise<void>): Promise<void> {
  const temp = join(
    dirname(target),
    `.${basename(target)}.${ownerTag()}-${randomBytes(6).toString("hex")}.tmp`,
  );
  try {
    await write(temp);
    const handle = await open(temp, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
}
