// The `dir` input: a directory as a tar archive (optionally gzipped), filtered by include/exclude globs.
import { readdir, readlink, realpath, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";
import { OcmError, type Blob } from "../../core/index.js";
import { resolveInputPath } from "./file-input.js";
import { globToRegExp, matchesAny } from "./glob.js";
import { readSpec } from "./read-spec.js";
import { dirInputSchema } from "./specs.js";

/**
 * Lists the entries below `dir` relative to `root`. Symlinks are archived as links unless `followSymlinks`
 * is set; then their targets are archived, but only targets inside the input directory: a link must never
 * pull files from elsewhere on the disk into the blob, and a link to one of its own parents would never end.
 */
async function listFiles(
  root: string,
  dir: string,
  exclude: RegExp[],
  follow: FollowState | undefined,
): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const path = relative(root, full);
    if (matchesAny(path, exclude)) continue;
    out.push(path);
    let isDir = entry.isDirectory();
    let target = full;
    if (follow && entry.isSymbolicLink()) {
      target = await linkTarget(full, root, follow.realRoot);
      isDir = (await stat(target)).isDirectory();
    }
    if (!isDir) continue;
    const real = follow ? await realpath(target) : target;
    if (follow?.open.has(real)) {
      throw new OcmError({
        code: "OCM_INPUT_INVALID",
        message: `dir input: symlink ${full} points to one of its own parent directories`,
        hint: "Remove the link or set followSymlinks: false to archive links as links.",
      });
    }
    follow?.open.add(real);
    out.push(...(await listFiles(root, full, exclude, follow)));
    follow?.open.delete(real);
  }
  return out;
}

interface FollowState {
  /** The input directory with all links resolved. */
  realRoot: string;
  /** Directories being listed (resolved), to detect a link back to one of them. */
  open: Set<string>;
}

async function linkTarget(link: string, root: string, realRoot: string): Promise<string> {
  const target = await realpath(link).catch(async (error: unknown) => {
    throw new OcmError({
      code: "OCM_INPUT_NOT_FOUND",
      message: `dir input: symlink ${link} points to ${await readlink(link).catch(() => "?")}, which does not exist`,
      hint: "Fix or remove the dangling link, or set followSymlinks: false to archive links as links.",
      cause: error,
    });
  });
  const inside = relative(realRoot, target);
  if (inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new OcmError({
      code: "OCM_INPUT_INVALID",
      message: `dir input: symlink ${link} points to ${target}, outside ${root}`,
      hint: "followSymlinks only follows links within the input directory; copy the target in, or set followSymlinks: false.",
    });
  }
  return target;
}

export async function processDirInput(input: unknown, baseDir: string): Promise<Blob> {
  const spec = readSpec(dirInputSchema, input, "dir");
  const path = resolveInputPath(baseDir, spec.path);
  const info = await stat(path).catch((error: unknown) => {
    throw new OcmError({
      code: "OCM_INPUT_NOT_FOUND",
      message: `dir input: cannot read ${path}`,
      hint: "Paths in a constructor are relative to the constructor file's directory.",
      cause: error,
    });
  });
  if (!info.isDirectory()) {
    throw new OcmError({
      code: "OCM_INPUT_INVALID",
      message: `dir input: ${path} is not a directory`,
      hint: "Use the file input for a single file.",
    });
  }
  const include = (spec.includeFiles ?? []).map(globToRegExp);
  const exclude = (spec.excludeFiles ?? []).map(globToRegExp);
  const realRoot = await realpath(path);
  const follow = spec.followSymlinks ? { realRoot, open: new Set([realRoot]) } : undefined;
  const files = (await listFiles(path, path, exclude, follow))
    .sort()
    .filter((file) => include.length === 0 || matchesAny(file, include));
  const cwd = spec.preserveDir ? dirname(path) : path;
  const entries = spec.preserveDir ? files.map((file) => join(basename(path), file)) : files;
  const { create } = await import("tar");
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
