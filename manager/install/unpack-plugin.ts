// Turns a downloaded plugin blob into one executable file in the staging directory. Raw executables,
// gzip, tar and tgz are accepted; every archive entry is checked before anything is written, so an entry
// that could land outside the staging directory (`..`, absolute paths, escaping links) or is a device or
// FIFO fails the install with OCM_INSTALL_UNSAFE_ARCHIVE.
import { createReadStream, createWriteStream } from "node:fs";
import { chmod, lstat, mkdir, open, readdir, rename } from "node:fs/promises";
import { join, posix, relative } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { extract, list, type ReadEntry } from "tar";
import { OcmError } from "../../core/index.js";

const SAFE_TYPES = new Set(["File", "OldFile", "ContiguousFile", "Directory", "SymbolicLink", "Link"]);

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
    hint: "Nothing was installed. Package the plugin as relative regular files only.",
    details: { entry },
  });
}

/** Throws OCM_INSTALL_UNSAFE_ARCHIVE when `entry` could reach outside the extraction directory. */
export function checkArchiveEntry(entry: Pick<ReadEntry, "path" | "type" | "linkpath">): void {
  const path = entry.path;
  if (posix.isAbsolute(path) || /^[a-zA-Z]:/.test(path) || path.includes("\\"))
    throw unsafe(path, "has an absolute path");
  if (path.split("/").includes("..")) throw unsafe(path, "contains ..");
  if (!SAFE_TYPES.has(entry.type)) throw unsafe(path, `is a ${entry.type}, not a file, directory or link`);
  if (entry.type === "SymbolicLink" || entry.type === "Link") {
    const target = entry.linkpath ?? "";
    if (posix.isAbsolute(target)) throw unsafe(path, `links to the absolute path ${target}`);
    const base = entry.type === "SymbolicLink" ? posix.dirname(path) : ".";
    const resolved = posix.normalize(posix.join(base, target));
    if (resolved === ".." || resolved.startsWith("../"))
      throw unsafe(path, `links outside the archive to ${target}`);
  }
}

async function extractTar(archive: string, target: string): Promise<void> {
  let failure: OcmError | undefined;
  await list({
    file: archive,
    onReadEntry: (entry) => {
      if (failure) return;
      try {
        checkArchiveEntry(entry);
      } catch (error) {
        failure = error as OcmError;
      }
    },
  });
  if (failure) throw failure;
  await extract({ file: archive, cwd: target, strict: true, preserveOwner: false });
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
  let current = blob;
  let head = await magic(current);
  if (isGzip(head)) {
    const unzipped = join(stagingDir, "blob.ungz");
    await pipeline(createReadStream(current), createGunzip(), createWriteStream(unzipped, { flags: "wx" }));
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
