// Opens files inside a CTF directory without ever following a symlink: a CTF holds no links, and one
// placed there (blobs -> /elsewhere, artifact-index.json -> ~/.ssh/id_rsa) must neither be read nor written.
import { constants } from "node:fs";
import { lstat, open, type FileHandle } from "node:fs/promises";
import { OcmError } from "../../core/index.js";

/** A symlink (or other non-regular entry) where a CTF directory needs a file or directory. */
export function linkInCtfError(path: string, what: string): OcmError {
  return new OcmError({
    code: "OCM_ARCHIVE_UNSAFE_ENTRY",
    message: `CTF ${path} is ${what}; a CTF holds only regular files and directories, no links`,
    hint: "Do not use this CTF, or replace the link by the real directory or file. Nothing was read or written.",
    details: { path },
  });
}

/** Opens `path` for reading when it is a regular file, never following a final symlink. */
export async function openRegularFile(path: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") throw linkInCtfError(path, "a symbolic link");
    throw error;
  }
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw linkInCtfError(path, "not a regular file");
  }
  return handle;
}

/** Reads a regular file whole, refusing links and files over `cap` bytes. */
export async function readRegularFile(path: string, cap: number): Promise<Buffer> {
  const handle = await openRegularFile(path);
  try {
    const { size } = await handle.stat();
    if (size > cap) {
      throw new OcmError({
        code: "OCM_ARCHIVE_TOO_LARGE",
        message: `CTF file ${path} is ${size} bytes, more than the limit of ${cap} bytes for such a file`,
        hint: "Do not use this CTF; no OCM tool writes such a file this large.",
        details: { path, limit: cap },
      });
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Throws unless `dir` is missing or a real directory (not a symlink to one). */
export async function requireRealDirectory(dir: string): Promise<void> {
  const info = await lstat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (info === undefined || info.isDirectory()) return;
  throw linkInCtfError(dir, info.isSymbolicLink() ? "a symbolic link" : "not a directory");
}
