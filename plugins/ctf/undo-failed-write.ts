// Puts a CTF back as it was after a failed write call. The host adds a component version in several calls
// (addLocalBlob per blob, then addComponentVersion), so one failed call can leave blobs of the earlier
// ones: the failed version's blobs that no manifest references are removed, and then a CTF this process
// created that is left holding nothing at all is removed whole. Best effort: the original failure is
// what the caller reports, and nothing is removed when the index or a manifest cannot be read.
import { readArtifactIndex } from "./artifact-index.js";
import { manifestBlobs } from "./component-manifest.js";
import { sha256Hex } from "./ctf-reader.js";
import { wasCreatedHere, withWriteSession } from "./ctf-session.js";
import type { CtfSpec } from "./repository-spec.js";

/** The sha256 localReferences of a (possibly invalid) descriptor's resources and sources. */
export function localBlobDigests(descriptor: unknown): string[] {
  const component = (descriptor as { component?: Record<string, unknown> } | undefined)?.component;
  const elements = [component?.["resources"], component?.["sources"]].flatMap((list) =>
    Array.isArray(list) ? (list as unknown[]) : [],
  );
  return elements.flatMap((element) => {
    const reference = (element as { access?: { localReference?: unknown } } | null)?.access?.localReference;
    const hex = typeof reference === "string" ? sha256Hex(reference) : undefined;
    return hex === undefined ? [] : [`sha256:${hex}`];
  });
}

/** Removes what a failed write call left: `digests` no manifest needs, then the CTF if it is new and empty. */
export async function undoFailedWrite(spec: CtfSpec, digests: readonly string[]): Promise<void> {
  if (!wasCreatedHere(spec.path) && digests.length === 0) return;
  await withWriteSession({ ...spec, accessMode: "readwrite" }, async (root, session) => {
    session.outcome = "unchanged";
    const index = await readArtifactIndex(root.dir, spec.path);
    const reader = await root.reader();
    const referenced = new Set<string>();
    for (const artifact of index.artifacts) {
      for (const digest of await manifestBlobs(reader, spec.path, artifact.digest)) referenced.add(digest);
    }
    const orphans: string[] = [];
    for (const digest of new Set(digests))
      if (!referenced.has(digest) && (await root.blobSize(digest)) !== undefined) orphans.push(digest);
    for (const digest of orphans) await root.removeBlob(digest);
    if (orphans.length > 0) session.outcome = "commit";
    if (wasCreatedHere(spec.path) && index.artifacts.length === 0 && (await root.holdsNoBlob()))
      session.outcome = "discard";
  }).catch(() => undefined);
}
