// Unpacks a tar or tgz archive into a fresh private directory for a write, entry by entry as the archive is
// read (see archive-entries.ts for what is refused). Files are created with O_EXCL|O_NOFOLLOW under real
// directories only, so nothing can be written through a link. The unpacked size is bounded: a small tgz
// that expands hugely (a "zip bomb") is refused with OCM_ARCHIVE_TOO_LARGE before its bytes reach the disk.
import { constants } from "node:fs";
import { mkdir, open, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { OcmError } from "../../core/errors.js";
import { archiveEntries } from "./archive-entries.js";
import { tooLargeError } from "./archive-errors.js";

/** Below this, any archive may unpack; above it, at most RATIO times its file size. */
const FLOOR = 256 << 20;
const RATIO = 100;

/** The unpacked-size limit for `archive`: the variable `limitEnv` if set, else max(256 MiB, 100 × its size). */
export async function unpackedSizeLimit(archive: string, limitEnv: string): Promise<number> {
  const configured = process.env[limitEnv];
  if (configured !== undefined && configured !== "") {
    const value = Number(configured);
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new OcmError({
        code: "OCM_CONFIG_INVALID",
        message: `${limitEnv}=${JSON.stringify(configured)} is not a positive number of bytes`,
        hint: `Set ${limitEnv} to a byte count such as 10737418240 (10 GiB), or unset it.`,
      });
    }
    return value;
  }
  return Math.max(FLOOR, RATIO * (await stat(archive)).size);
}

/** How to unpack: the variable that raises the size limit, and what the archive may hold (for hints). */
export interface UnpackOptions {
  limitEnv: string;
  holds?: string;
}

/** Unpacks `archive` into the empty directory `target`. */
export async function unpackArchive(
  archive: string,
  gzip: boolean,
  target: string,
  options: UnpackOptions,
): Promise<void> {
  const limit = await unpackedSizeLimit(archive, options.limitEnv);
  let total = 0;
  const walk = options.holds === undefined ? {} : { holds: options.holds };
  for await (const entry of archiveEntries(archive, gzip, walk)) {
    const path = join(target, entry.name);
    if (entry.type === "directory") {
      await mkdir(path, { recursive: true });
      continue;
    }
    total += entry.size;
    if (total > limit) {
      throw tooLargeError(
        archive,
        `it unpacks to more than ${total} bytes (entry ${entry.name})`,
        limit,
        options.limitEnv,
      );
    }
    await mkdir(dirname(path), { recursive: true });
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    const handle = await open(path, flags, 0o644);
    try {
      for await (const chunk of entry.chunks()) await handle.write(chunk);
    } finally {
      await handle.close();
    }
  }
}
