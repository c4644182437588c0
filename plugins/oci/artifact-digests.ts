// digestProcessor for OCI artifacts: ociArtifactDigest/v1 is the digest of the artifact's manifest
// (notes in docs/plugin-authors.md, "digestProcessor"). For an `ociArtifact` access it is read from the
// registry; for a local blob holding an artifact set it is the set's main manifest (`software.ocm/main` in
// index.json, else its only manifest), after every blob in the set was checked against its name and the
// main manifest and everything it leads to were found in the set.
import { createHash } from "node:crypto";
import { OcmError, type DigestProcessor } from "../../core/index.js";
import { readArtifactSet } from "../../sdk/oci-layout/index.js";
import { getManifest } from "./distribution/manifests.js";
import { parseImageReference } from "./distribution/reference.js";
import { ociInvalidError } from "./oci-errors.js";
import { clientFor } from "./repository-spec.js";

const ARTIFACT_DIGESTS = new Set(["ociArtifactDigest/v1", "ociArtefactDigest/v1"]);
const HASHES: Record<string, string> = {
  "SHA-256": "sha256",
  sha256: "sha256",
  "SHA-512": "sha512",
  sha512: "sha512",
};
/** Blobs of a set held in memory to be parsed as manifests: larger ones are only hashed. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

function unsupported(message: string): OcmError {
  return new OcmError({
    code: "OCM_SIGNING_DIGEST_UNSUPPORTED",
    message,
    hint: "An OCI artifact's digest is ociArtifactDigest/v1 with the hash of its manifest digest (SHA-256).",
  });
}

function badArtifactSet(message: string, cause?: unknown): OcmError {
  return new OcmError({
    code: "OCM_SIGNING_BLOB_DIGEST_MISMATCH",
    message: `the artifact set ${message}`,
    hint: "The content was altered or corrupted; fetch it again from a trusted source.",
    cause,
  });
}

interface Algorithms {
  hashAlgorithm?: string | undefined;
  normalisationAlgorithm?: string | undefined;
}

/** The digest spec of `manifestDigest` (`sha256:<hex>`) with the requested algorithms, or an error. */
function toDigestSpec(manifestDigest: string, requested: Algorithms, what: string) {
  const normalisationAlgorithm = requested.normalisationAlgorithm ?? "ociArtifactDigest/v1";
  const hashAlgorithm = requested.hashAlgorithm ?? "SHA-256";
  if (!ARTIFACT_DIGESTS.has(normalisationAlgorithm)) {
    throw unsupported(`digest algorithm ${normalisationAlgorithm} is not supported for ${what}`);
  }
  const [algorithm, value] = manifestDigest.split(":");
  if (HASHES[hashAlgorithm] === undefined || algorithm !== HASHES[hashAlgorithm] || !value) {
    throw unsupported(`${what} has manifest digest ${manifestDigest}, not a ${hashAlgorithm} digest`);
  }
  return { digest: { hashAlgorithm, normalisationAlgorithm, value } };
}

/** ociArtifactDigest/v1 for `ociArtifact` accesses and for artifact sets stored as local blobs. */
export const ociArtifactDigests: DigestProcessor = {
  async digestResource(request, options) {
    const { resource } = request;
    const reference = resource.access["imageReference"];
    if (typeof reference !== "string" || reference === "") {
      throw ociInvalidError(
        `resource ${resource.name}: access has no imageReference:`,
        resource.access,
        "An ociArtifact access is {type: ociArtifact, imageReference: host[:port]/repository[:tag][@sha256:<hex>]}.",
      );
    }
    const ref = parseImageReference(reference);
    const manifest = await getManifest(
      clientFor(ref.registry, options),
      ref.repository,
      ref.digest ?? ref.tag ?? "latest",
    );
    return toDigestSpec(manifest.digest, request, `image ${reference}`);
  },

  async digestBlob(request, content) {
    const main = await artifactSetDigest(content);
    return toDigestSpec(main, request, "the artifact set");
  },
};

/**
 * The digest of an artifact set's main manifest, computed from the bytes: every blob entry must hash to its
 * name, and the main manifest and every manifest, config and layer it leads to must be in the set.
 */
export async function artifactSetDigest(content: AsyncIterable<Uint8Array>): Promise<string> {
  const present = new Set<string>();
  const small = new Map<string, Buffer>();
  let index: Buffer | undefined;
  const invalid = (why: string, cause?: unknown) => badArtifactSet(why, cause);
  for await (const entry of readArtifactSet(content, { invalid })) {
    const [algorithm, hex] = entry.digest?.split(":") ?? [];
    const hasher = algorithm ? createHash(algorithm) : undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of entry.body) {
      hasher?.update(chunk);
      size += chunk.length;
      if (size <= MAX_MANIFEST_BYTES) chunks.push(Buffer.from(chunk));
    }
    const bytes = size <= MAX_MANIFEST_BYTES ? Buffer.concat(chunks) : undefined;
    if (entry.digest === undefined) {
      index = bytes;
      continue;
    }
    if (hasher?.digest("hex") !== hex) throw badArtifactSet(`entry ${entry.name} does not hash to its name`);
    present.add(entry.digest);
    if (bytes?.[0] === 0x7b) small.set(entry.digest, bytes); // JSON: a manifest, index or config
  }
  if (!index) throw badArtifactSet("has no index.json");
  const main = mainManifestDigest(index);
  const visit = (digest: string, seen: Set<string>): void => {
    if (!present.has(digest)) throw badArtifactSet(`lacks blob ${digest}`);
    const bytes = small.get(digest);
    if (seen.has(digest) || !bytes) return;
    seen.add(digest);
    let doc: {
      config?: { digest?: unknown };
      layers?: { digest?: unknown }[];
      manifests?: { digest?: unknown }[];
    };
    try {
      doc = JSON.parse(bytes.toString("utf8")) as typeof doc;
    } catch {
      return; // a layer or config that is not JSON: present and hashed, nothing more to follow
    }
    if (typeof doc !== "object" || doc === null) return;
    for (const child of [doc.config, ...(doc.layers ?? []), ...(doc.manifests ?? [])]) {
      if (typeof child?.digest === "string") visit(child.digest, seen);
    }
  };
  visit(main, new Set());
  return main;
}

function mainManifestDigest(index: Buffer): string {
  let doc: { annotations?: Record<string, unknown>; manifests?: { digest?: unknown }[] };
  try {
    doc = JSON.parse(index.toString("utf8")) as typeof doc;
  } catch (error) {
    throw badArtifactSet("has an index.json that is not JSON", error);
  }
  const main = doc.annotations?.["software.ocm/main"];
  if (typeof main === "string") return main;
  const only = doc.manifests?.length === 1 ? doc.manifests[0]?.digest : undefined;
  if (typeof only === "string") return only;
  throw badArtifactSet("names no main manifest (software.ocm/main) in index.json");
}
