// An OCI artifact from a registry as the OCM Go tool's "artifact set" (notes/ocm-formats.md §2.1): a tgz
// holding index.json (main manifest in `software.ocm/main`, tags in `software.ocm/tags`), oci-layout and
// blobs/sha256.<hex>, manifests first. Blobs are streamed from the registry into the archive one at a time.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { getBlob } from "../distribution/blobs.js";
import { getManifest, type StoredManifest } from "../distribution/manifests.js";
import { isManifestType, OCI_INDEX, parseManifest, type Descriptor } from "../distribution/media-types.js";
import type { RegistryClient } from "../distribution/registry-client.js";
import { TAR_END, tarHeader, tarPadding } from "./tar-write.js";

/** The oci-layout file as Go writes it. */
const OCI_LAYOUT = '{\n    "imageLayoutVersion": "1.0.0"\n}\n';

const blobName = (digest: string) => `blobs/${digest.replace(":", ".")}`;

/** The manifests of an artifact, root first, and the non-manifest blobs they reference, each once. */
async function collectGraph(
  client: RegistryClient,
  repository: string,
  root: StoredManifest,
): Promise<{ manifests: StoredManifest[]; blobs: Descriptor[] }> {
  const manifests: StoredManifest[] = [];
  const blobs = new Map<string, Descriptor>();
  const seen = new Set<string>();
  const visit = async (manifest: StoredManifest) => {
    if (seen.has(manifest.digest)) return;
    seen.add(manifest.digest);
    manifests.push(manifest);
    const doc = parseManifest(manifest.bytes, manifest.mediaType);
    for (const child of doc.manifests ?? []) {
      if (isManifestType(child.mediaType)) await visit(await getManifest(client, repository, child.digest));
    }
    for (const blob of [...(doc.config ? [doc.config] : []), ...(doc.layers ?? [])])
      blobs.set(blob.digest, blob);
  };
  await visit(root);
  return { manifests, blobs: [...blobs.values()].filter((b) => !seen.has(b.digest)) };
}

async function* entries(
  client: RegistryClient,
  repository: string,
  root: StoredManifest,
  tag: string | undefined,
): AsyncGenerator<Uint8Array> {
  const { manifests, blobs } = await collectGraph(client, repository, root);
  const tagAnnotations = tag
    ? { annotations: { "org.opencontainers.image.ref.name": tag, "software.ocm/tags": tag } }
    : {};
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      { mediaType: root.mediaType, digest: root.digest, size: root.bytes.length, ...tagAnnotations },
    ],
    annotations: { "software.ocm/main": root.digest },
  });
  for (const [name, text] of [
    ["index.json", index],
    ["oci-layout", OCI_LAYOUT],
  ] as const) {
    const bytes = Buffer.from(text, "utf8");
    yield tarHeader(name, bytes.length, "0");
    yield bytes;
    yield tarPadding(bytes.length);
  }
  yield tarHeader("blobs", 0, "5");
  for (const manifest of manifests) {
    yield tarHeader(blobName(manifest.digest), manifest.bytes.length, "0");
    yield manifest.bytes;
    yield tarPadding(manifest.bytes.length);
  }
  for (const blob of blobs) {
    yield tarHeader(blobName(blob.digest), blob.size, "0");
    const { content } = await getBlob(client, repository, blob.digest);
    yield* content;
    yield tarPadding(blob.size);
  }
  yield TAR_END;
}

/**
 * Streams the artifact `reference` (tag or digest) of `repository` as a gzipped artifact set. The manifest
 * is fetched before this returns, so a missing artifact fails here, not in the middle of the stream.
 */
export async function readArtifactSet(
  client: RegistryClient,
  repository: string,
  reference: string,
  tag: string | undefined,
): Promise<{ manifest: StoredManifest; content: AsyncIterable<Uint8Array> }> {
  const manifest = await getManifest(client, repository, reference);
  const gzip = createGzip();
  pipeline(Readable.from(entries(client, repository, manifest, tag), { objectMode: false }), gzip).catch(
    (error: unknown) => gzip.destroy(error as Error),
  );
  return { manifest, content: gzip };
}
