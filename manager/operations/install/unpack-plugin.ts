// Turns a downloaded plugin blob into one executable file in the staging directory. Raw executables,
// gzip, tar and tgz are accepted; every archive entry is checked before anything is written. Only regular
// files and directories with relative paths are allowed, each once: any symlink or hard link (a chain of
// links each staying "inside" once escaped a per-link check, issue #10), device, FIFO, `..`, absolute path
// or duplicate fails the install with OCM_INSTALL_UNSAFE_ARCHIVE, as does a gzip that expands more than
// 100:1 above 256 MiB.
import { createReadStream, createWriteStream } from "node:fs";
import { chmod, lstat, mkdir, open, readdir, rename, stat } from "node:fs/promises";
import { join, posix, relative } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import type { ReadEntry } from "tar";
import { OcmError, isOcmError } from "../../../core/index.js";

const SAFE_TYPES = new Set(["File", "OldFile", "ContiguousFile", "Directory"]);
const LINK_TYPES = new Set(["SymbolicLink", "Link"]);
/** A gzip may expand to max(FLOOR, RATIO × its size). */
const FLOOR = 256 << 20;
const RATIO = 100;

async function magic(path: string): Promise<Buffer> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(262);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

const isGzip = (head: Buffer) => head[0] === 0x1f && head[1] === 0x8b;
const isTar = (head: Buffer) => head.length >= 262 && head.subarray(257, 262).toString("latin1") === "ustar";

function unsafe(entry: string, why: string): OcmError {
  return new OcmError({
    code: "OCM_INSTALL_UNSAFE_ARCHIVE",
    message: `plugin archive entry ${JSON.stringify(entry)} ${why}`,
    hint: "Nothing was installed or written. Package the plugin as relative regular files only, no links.",
    details: { entry },
  });
}

/** Throws OCM_INSTALL_UNSAFE_ARCHIVE when `entry` could reach outside the extraction directory. */
export function checkArchiveEntry(entry: Pick<ReadEntry, "path" | "type" | "linkpath">): void {
  const path = entry.path;
  if (posix.isAbsolute(path) || /^[a-zA-Z]:/.test(path) || path.includes("\\"))
    throw unsafe(path, "has an absolute path");
  if (path.split("/").includes("..")) throw unsafe(path, "contains ..");
  if (LINK_TYPES.has(entry.type)) {
    const target = entry.linkpath ?? "";
    if (posix.isAbsolute(target)) throw unsafe(path, `links to the absolute path ${target}`);
    const base = entry.type === "SymbolicLink" ? posix.dirname(path) : ".";
    const resolved = posix.normalize(posix.join(base, target));
    if (resolved === ".." || resolved.startsWith("../../"))
      throw unsafe(path, `links outside the archive to ${target}`);
    const kind = entry.type === "SymbolicLink" ? "symbolic link" : "hard link";
    throw unsafe(path, `is a ${kind} to ${target}; only regular files and directories are allowed`);
  }
  if (!SAFE_TYPES.has(entry.type)) throw unsafe(path, `is a ${entry.type}, not a file or directory`);
}

const canonical = (path: string) =>
  path
    .split("/")
    .filter((part) => part !== "" && part !== ".")
    .join("/");

async function extractTar(archive: string, target: string): Promise<void> {
  const { extract, list } = await import("tar");
  let failure: OcmError | undefined;
  const seen = new Set<string>();
  await list({
    file: archive,
    strict: true,
    onReadEntry: (entry) => {
      if (failure) return;
      try {
        checkArchiveEntry(entry);
        const name = canonical(entry.path);
        if (seen.has(name)) throw unsafe(entry.path, "appears more than once in the archive");
        seen.add(name);
      } catch (error) {
        failure = error as OcmError;
      }
    },
  });
  if (failure) throw failure;
  // Checked above; the filter keeps extraction to files and directories even so.
  await extract({
    file: archive,
    cwd: target,
    strict: true,
    preserveOwner: false,
    filter: (_path, entry) => "type" in entry && SAFE_TYPES.has(entry.type),
  });
}

/** Gunzips `blob` into `target`, stopping once it expands past the bound. */
async function gunzipBounded(blob: string, target: string): Promise<void> {
  const limit = Math.max(FLOOR, RATIO * (await stat(blob)).size);
  let total = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      if (total > limit) done(unsafe("(gzip stream)", `expands to more than ${limit} bytes`));
      else done(null, chunk);
    },
  });
  await pipeline(createReadStream(blob), createGunzip(), meter, createWriteStream(target, { flags: "wx" }));
}

async function regularFiles(dir: string, root = dir): Promise<{ path: string; executable: boolean }[]> {
  const found: { path: string; executable: boolean }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await regularFiles(path, root)));
    else if (entry.isFile()) found.push({ path, executable: ((await lstat(path)).mode & 0o111) !== 0 });
  }
  return found.sort((a, b) => relative(root, a.path).localeCompare(relative(root, b.path)));
}

/** Picks the plugin out of an unpacked archive: the only executable, or the one named after the plugin. */
function pickExecutable(files: { path: string; executable: boolean }[], id: string, root: string): string {
  const executables = files.filter((f) => f.executable);
  const stem = (path: string) => (path.split("/").pop() ?? "").replace(/\.[^.]+$/, "");
  const pool = executables.length ? executables : files;
  if (pool.length === 1) return (pool[0] as { path: string }).path;
  const named = pool.filter((f) => stem(f.path) === id || stem(f.path).startsWith(`${id}-`));
  if (named.length === 1) return (named[0] as { path: string }).path;
  throw new OcmError({
    code: "OCM_INSTALL_NO_EXECUTABLE",
    message: `the plugin archive holds ${pool.length === 0 ? "no file" : `${pool.length} candidate files`} for plugin ${id}`,
    hint: `Package exactly one executable, or name it ${id}. Files: ${files.map((f) => relative(root, f.path)).join(", ") || "none"}.`,
  });
}

/**
 * Unpacks `blob` (raw, gzip, tar or tgz) inside `stagingDir` and returns the path of the plugin
 * executable there, with its executable bits set.
 */
export async function unpackPlugin(blob: string, stagingDir: string, id: string): Promise<string> {
  try {
    return await unpackChecked(blob, stagingDir, id);
  } catch (error) {
    throw isOcmError(error) ? error : damaged(error as NodeJS.ErrnoException);
  }
}

/**
 * A gzip or tar stream that ends early or is garbled is an incomplete download or a broken package, not a
 * bug here (#10). Errors of the file system (ENOSPC, EACCES) keep their own form and code.
 */
function damaged(error: NodeJS.ErrnoException): Error {
  const code = String(error.code ?? "");
  const truncated =
    code === "Z_BUF_ERROR" || code === "TAR_ABORT" || /unexpected end|truncated/i.test(error.message);
  if (!truncated && !code.startsWith("Z_") && !code.startsWith("TAR_")) return error;
  return new OcmError({
    code: truncated ? "OCM_ARCHIVE_TRUNCATED" : "OCM_INSTALL_UNSAFE_ARCHIVE",
    message: `the plugin archive ${truncated ? "ends early" : "is damaged"}: ${error.message}`,
    hint: "Nothing was installed. Publish the plugin again; the blob in the repository is incomplete or not a valid gzip/tar.",
    cause: error,
  });
}

async function unpackChecked(blob: string, stagingDir: string, id: string): Promise<string> {
  let current = blob;
  let head = await magic(current);
  if (isGzip(head)) {
    const unzipped = join(stagingDir, "blob.ungz");
    await gunzipBounded(current, unzipped);
    current = unzipped;
    head = await magic(current);
  }
  let executable: string;
  if (isTar(head)) {
    const tree = join(stagingDir, "tree");
    await mkdir(tree);
    await extractTar(current, tree);
    executable = pickExecutable(await regularFiles(tree), id, tree);
  } else {
    executable = join(stagingDir, "plugin.bin");
    await rename(current, executable);
  }
  await chmod(executable, 0o755);
  return executable;
}
