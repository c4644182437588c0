// Pushes an artifact set (the tgz or tar of readArtifactSet, or one written by the OCM Go tool) into a
// registry repository: large blobs are uploaded while the archive streams in, small entries are held until
// the end (they may be manifests), then the graph is pushed bottom-up (blobs, child manifests, the main
// manifest last), so the registry never holds a manifest that references something missing.
import { OcmError } from "../../../core/index.js";
import { readArtifactSet } from "../../../sdk/oci-layout/index.js";
import { pushBlob } from "../distribution/blob-upload.js";
import { blobSize } from "../distribution/blobs.js";
import { sha256Digest } from "../distribution/digest-stream.js";
import { putManifest } from "../distribution/manifests.js";
import { isManifestType, parseManifest, type ManifestDocument } from "../distribution/media-types.js";
import type { RegistryClient } from "../distribution/registry-client.js";

// Entries up to this size are held in memory; manifests are far smaller (the spec's limit is 4 MiB).
const HOLD_LIMIT = 4 * 1024 * 1024;

function invalidSet(why: string): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_INVALID",
    message: `artifact set: ${why}`,
    hint: "An artifact set is a tar or tgz with index.json, oci-layout and blobs/sha256.<hex> (as `ocm` writes them).",
  });
}

/** What was pushed: the main manifest's digest and media type, and the tag of the set, if it names one. */
export interface PushedArtifact {
  digest: string;
  mediaType: string;
  size: number;
  tag?: string;
}

/** Pushes the artifact set in `content` to `repository`, tagging the main manifest with `tag` (or the set's). */
export async function pushArtifactSet(
  client: RegistryClient,
  repository: string,
  content: AsyncIterable<Uint8Array>,
  tag: string | undefined,
): Promise<PushedArtifact> {
  const held = new Map<string, Buffer>();
  const streamed = new Set<string>();
  let index: ManifestDocument | undefined;
  for await (const entry of readArtifactSet(content)) {
    const digest = entry.digest;
    if (digest !== undefined && !digest.startsWith("sha256:")) continue;
    if (digest === undefined || entry.size <= HOLD_LIMIT) {
      const chunks: Uint8Array[] = [];
      for await (const chunk of entry.body) chunks.push(chunk);
      const bytes = Buffer.concat(chunks);
      if (digest === undefined) index = parseManifest(bytes);
      else held.set(digest, bytes);
    } else {
      await pushBlob(client, repository, entry.body, { digest, size: entry.size });
      streamed.add(digest);
    }
  }
  if (index === undefined) throw invalidSet("no index.json");
  const main = index.annotations?.["software.ocm/main"] ?? index.manifests?.[0]?.digest;
  const entry = index.manifests?.find((m) => m.digest === main);
  if (main === undefined) throw invalidSet("index.json names no manifest");
  const setTag =
    entry?.annotations?.["software.ocm/tags"]?.split(",")[0] ??
    entry?.annotations?.["org.opencontainers.image.ref.name"];
  const finalTag = tag ?? setTag;

  const pushed = new Set<string>();
  const pushManifest = async (
    digest: string,
    reference: string,
  ): Promise<{ mediaType: string; size: number }> => {
    const bytes = held.get(digest);
    if (bytes === undefined) throw invalidSet(`manifest ${digest} is not in the set`);
    if (sha256Digest(bytes) !== digest) throw invalidSet(`blob ${digest} does not match its digest`);
    const doc = parseManifest(bytes);
    for (const child of doc.manifests ?? []) {
      if (isManifestType(child.mediaType) && !pushed.has(child.digest))
        await pushManifest(child.digest, child.digest);
    }
    for (const part of [...(doc.config ? [doc.config] : []), ...(doc.layers ?? [])]) {
      if (pushed.has(part.digest) || streamed.has(part.digest)) continue;
      const partBytes = held.get(part.digest);
      if (partBytes !== undefined) {
        await pushBlob(client, repository, once(partBytes), { digest: part.digest, size: partBytes.length });
      } else if ((await blobSize(client, repository, part.digest)) === undefined) {
        throw invalidSet(
          `blob ${part.digest} of manifest ${digest} is neither in the set nor in ${repository}`,
        );
      }
      pushed.add(part.digest);
    }
    await putManifest(client, repository, reference, bytes, doc.mediaType);
    pushed.add(digest);
    return { mediaType: doc.mediaType, size: bytes.length };
  };
  const root = await pushManifest(main, finalTag ?? main);
  return { digest: main, ...root, ...(finalTag ? { tag: finalTag } : {}) };
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
