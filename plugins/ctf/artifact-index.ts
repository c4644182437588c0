// artifact-index.json, the table of contents of a CTF: one entry per OCI repository and tag. Written as the
// Go tool writes it (compact, `artifacts`, no trailing newline) via a temp file and rename, so a reader sees
// the old index or the new one, never half of one (notes/ocm-formats.md §2).
import { randomBytes } from "node:crypto";
import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { ownerTag, readRegularFile } from "../../sdk/archive/index.js";
import { invalidError } from "./ctf-errors.js";
import { tagToVersion, versionToTag } from "../../sdk/oci-layout/index.js";

/** Prefix of the OCI repository holding a component's versions (the `urlPath` mapping). */
export const COMPONENT_REPOSITORY_PREFIX = "component-descriptors/";

const entrySchema = z.looseObject({
  repository: z.string().min(1),
  tag: z.string().optional(),
  digest: z.string().min(1),
  mediaType: z.string().optional(),
});

const indexSchema = z.looseObject({
  schemaVersion: z.literal(1),
  artifacts: z
    .array(entrySchema)
    .nullish()
    .transform((a) => a ?? []),
});

/** One artifact of the index. */
export type IndexEntry = z.infer<typeof entrySchema>;

/** The parsed artifact index. */
export type ArtifactIndex = z.infer<typeof indexSchema>;

/** The file name of the index inside a CTF. */
export const INDEX_FILE = "artifact-index.json";

export { tagToVersion, versionToTag };

/** The most bytes an index may have: it is read whole. */
export const INDEX_CAP = 8 << 20;

/** Parses and validates the text of an index. */
export function parseArtifactIndex(text: string, where: string): ArtifactIndex {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalidError(where, `${INDEX_FILE} is not JSON`, error);
  }
  const result = indexSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalidError(
      where,
      `${INDEX_FILE}: field ${issue?.path.join(".") ?? ""} ${issue?.message ?? "is invalid"}`,
    );
  }
  return result.data;
}

/**
 * Reads and validates the index of the CTF directory at `root` (an empty index when `missingOk` and it is
 * absent). The index is opened without following a symlink and must be a regular file.
 */
export async function readArtifactIndex(
  root: string,
  where: string,
  missingOk = false,
): Promise<ArtifactIndex> {
  let text: string;
  try {
    text = (await readRegularFile(join(root, INDEX_FILE), INDEX_CAP, "CTF")).toString("utf8");
  } catch (error) {
    if (missingOk && (error as NodeJS.ErrnoException).code === "ENOENT")
      return { schemaVersion: 1, artifacts: [] };
    throw invalidError(where, `cannot read ${INDEX_FILE}`, error);
  }
  return parseArtifactIndex(text, where);
}

/** Writes the index atomically, in the Go field order. */
export async function writeArtifactIndex(root: string, index: ArtifactIndex): Promise<void> {
  const artifacts = index.artifacts.map((a) => ({
    repository: a.repository,
    ...(a.tag === undefined ? {} : { tag: a.tag }),
    digest: a.digest,
    ...(a.mediaType === undefined ? {} : { mediaType: a.mediaType }),
  }));
  const path = join(root, INDEX_FILE);
  const temp = `${path}.${ownerTag()}-${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(temp, JSON.stringify({ schemaVersion: 1, artifacts }), { mode: 0o644, flag: "wx" });
  await rename(temp, path);
}

/** The component names in the index, sorted and without duplicates. */
export function componentNames(index: ArtifactIndex): string[] {
  const names = index.artifacts
    .filter((a) => a.repository.startsWith(COMPONENT_REPOSITORY_PREFIX))
    .map((a) => a.repository.slice(COMPONENT_REPOSITORY_PREFIX.length));
  return [...new Set(names)].sort();
}

/** The versions of a component in the index, in index order. */
export function componentVersions(index: ArtifactIndex, component: string): string[] {
  const repository = COMPONENT_REPOSITORY_PREFIX + component;
  return index.artifacts
    .filter((a) => a.repository === repository && a.tag)
    .map((a) => tagToVersion(a.tag ?? ""));
}

/** The index entry of a component version, if present. */
export function findVersion(
  index: ArtifactIndex,
  component: string,
  version: string,
): IndexEntry | undefined {
  const repository = COMPONENT_REPOSITORY_PREFIX + component;
  const tag = versionToTag(version);
  return index.artifacts.find((a) => a.repository === repository && a.tag === tag);
}
