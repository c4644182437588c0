// A legacy component archive may store a blob as a directory under blobs/ (the Go tool's testdata
// `directory`); the Go tool serves it as a tar of that directory. Only regular files and directories are
// packed, never links, in a stable order with the Go tool's fixed mtime, so the bytes are the same each time.
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { linkInDirectoryError } from "../../sdk/archive/index.js";

const MTIME = new Date("2022-01-01T00:00:00Z");

async function entriesUnder(root: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(join(root, prefix))).sort()) {
    const relative = prefix === "" ? name : `${prefix}/${name}`;
    const info = await lstat(join(root, relative));
    if (info.isDirectory()) out.push(relative, ...(await entriesUnder(root, relative)));
    else if (info.isFile()) out.push(relative);
    else throw linkInDirectoryError(join(root, relative), "not a regular file", "component archive");
  }
  return out;
}

/** The tar of the blob directory `dir`, streamed. */
export async function directoryBlobTar(dir: string): Promise<AsyncGenerator<Uint8Array>> {
  const entries = await entriesUnder(dir);
  const { create } = await import("tar");
  const pack = create({ cwd: dir, portable: true, mtime: MTIME, noDirRecurse: true }, entries);
  return (async function* () {
    for await (const chunk of pack as AsyncIterable<Uint8Array>) yield chunk;
  })();
}
