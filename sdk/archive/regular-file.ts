// Opens files inside a repository directory (a CTF, a component archive) without ever following a symlink:
// such a directory holds no links, and one placed there (blobs -> /elsewhere, a descriptor -> ~/.ssh/id_rsa)
// must neither be read nor written. `kind` names the repository in messages ("CTF").
import { constants } from "node:fs";
import { lstat, open, type FileHandle } from "node:fs/promises";
import { OcmError } from "../../core/errors.js";

/** A symlink (or other non-regular entry) where a repository directory needs a file or directory. */
/**
 * The read size for streaming a blob from a file: each read is a trip through libuv's thread pool, and every
 * chunk then passes a digest check and its consumer, so 1 MiB rather than Node's default 64 KiB (#15).
 */
export const BLOB_READ_CHUNK = 1 << 20;

export function linkInDirectoryError(path: string, what: string, kind = "archive"): OcmError {
  return new OcmError({
    code: "OCM_ARCHIVE_UNSAFE_ENTRY",
    message: `${kind} ${path} is ${what}; a ${kind} holds only regular files and directories, no links`,
    hint: `Do not use this ${kind}, or replace the link by the real directory or file. Nothing was read or written.`,
    details: { path },
  });
}

/** Opens `path` for reading when it is a regular file, never following a final symlink. */
export async function openRegularFile(path: string, kind?: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP")
      throw linkInDirectoryError(path, "a symbolic link", kind);
    throw error;
  }
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    throw linkInDirectoryError(path, "not a regular file", kind);
  }
  return handle;
}

/** Reads a regular file whole, refusing links and files over `cap` bytes. */
export async function readRegularFile(path: string, cap: number, kind = "archive"): Promise<Buffer> {
  const handle = await openRegularFile(path, kind);
  try {
    const { size } = await handle.stat();
    if (size > cap) {
      throw new OcmError({
        code: "OCM_ARCHIVE_TOO_LARGE",
        message: `${kind} file ${path} is ${size} bytes, more than the limit of ${cap} bytes for such a file`,
        hint: `Do not use this ${kind}; no OCM tool writes such a file this large.`,
        details: { path, limit: cap },
      });
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Throws unless `dir` is missing or a real directory (not a symlink to one). */
export async function requireRealDirectory(dir: string, kind?: string): Promise<void> {
  const info = await lstat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (info === undefined || info.isDirectory()) return;
  throw linkInDirectoryError(dir, info.isSymbolicLink() ? "a symbolic link" : "not a directory", kind);
}
