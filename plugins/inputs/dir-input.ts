// The `dir` input: a directory as a tar archive (optionally gzipped), filtered by include/exclude globs.
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { create } from "tar";
import { OcmError, type Blob } from "../../core/index.js";
import { resolveInputPath } from "./file-input.js";
import { globToRegExp, matchesAny } from "./glob.js";
import { readSpec } from "./read-spec.js";
import { dirInputSchema } from "./specs.js";

async function listFiles(root: string, dir: string, followSymlinks: boolean): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const isDir =
      entry.isDirectory() || (followSymlinks && entry.isSymbolicLink() && (await stat(full)).isDirectory());
    out.push(relative(root, full));
    if (isDir) out.push(...(await listFiles(root, full, followSymlinks)));
  }
  return out;
}

export async function processDirInput(input: unknown, baseDir: string): Promise<Blob> {
  const spec = readSpec(dirInputSchema, input, "dir");
  const path = resolveInputPath(baseDir, spec.path);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new OcmError({
      code: "OCM_INPUT_NOT_FOUND",
      message: `dir input: ${path} is not a directory`,
      hint: "Paths in a constructor are relative to the constructor file's directory.",
    });
  }
  const include = (spec.includeFiles ?? []).map(globToRegExp);
  const exclude = (spec.excludeFiles ?? []).map(globToRegExp);
  const files = (await listFiles(path, path, spec.followSymlinks ?? false))
    .sort()
    .filter((file) => (include.length === 0 || matchesAny(file, include)) && !matchesAny(file, exclude));
  const cwd = spec.preserveDir ? dirname(path) : path;
  const entries = spec.preserveDir ? files.map((file) => join(basename(path), file)) : files;
  const content = create(
    {
      cwd,
      gzip: spec.compress ?? false,
      portable: true,
      noDirRecurse: true,
      follow: spec.followSymlinks ?? false,
      mtime: new Date("2022-01-01T00:00:00Z"),
    },
    spec.preserveDir ? [basename(path), ...entries] : entries,
  );
  const mediaType = spec.mediaType ?? (spec.compress ? "application/x-tar+gzip" : "application/x-tar");
  return { mediaType, content: content as unknown as AsyncIterable<Uint8Array> };
}
