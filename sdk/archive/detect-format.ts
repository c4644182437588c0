// Which form an archive-based repository (a CTF, a component archive) has on disk: a directory, or a file
// recognised by its magic bytes (gzip, or a tar header's `ustar` at offset 257), never by its name.
import { open, stat } from "node:fs/promises";

/** The forms an archive-based repository takes on disk. */
export type ArchiveFormat = "directory" | "tar" | "tgz";

/** Detects the format of the repository at `path`; undefined when nothing is there, "unknown" for other files. */
export async function detectFormat(path: string): Promise<ArchiveFormat | "unknown" | undefined> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (info === undefined) return undefined;
  if (info.isDirectory()) return "directory";
  if (!info.isFile()) return "unknown";
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, 512, 0);
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "tgz";
    if (bytesRead >= 262 && head.subarray(257, 262).toString("latin1") === "ustar") return "tar";
    if (bytesRead === 0) return "unknown";
    // Old V7 tars have no magic; a header checksum that adds up identifies them.
    return bytesRead === 512 && checksumMatches(head) ? "tar" : "unknown";
  } finally {
    await handle.close();
  }
}

function checksumMatches(header: Buffer): boolean {
  const stored = Number.parseInt(header.subarray(148, 156).toString("latin1").replace(/\0.*$/, "").trim(), 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
  return Number.isFinite(stored) && stored === sum;
}
