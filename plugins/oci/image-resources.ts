// resourceRepository for `ociArtifact` / `OCIImage/v1` accesses: an image or other OCI artifact in a registry,
// read and written as an artifact set (notes/ocm-formats.md §2.1). Adding pushes the set to the
// `imageReference` of the request's access and rewrites it to `host/repo:tag@digest`, as the Go tool's
// transfer does; the resource digest is `ociArtifactDigest/v1`, the manifest digest, so signatures stay valid.
import { OcmError, type ResourceRepository } from "../../core/index.js";
import { pushArtifactSet } from "./artifact-set/push-artifact-set.js";
import { artifactSetMediaType } from "../../sdk/oci-layout/index.js";
import { readArtifactSet } from "./artifact-set/write-artifact-set.js";
import { formatImageReference, parseImageReference, type ImageReference } from "./distribution/reference.js";
import { ociDigestMismatchError, ociInvalidError } from "./oci-errors.js";
import { clientFor } from "./repository-spec.js";

const ARTIFACT_DIGEST = "ociArtifactDigest/v1";

function imageReferenceOf(access: Record<string, unknown>, resource: string): ImageReference {
  const value = access["imageReference"];
  if (typeof value !== "string" || value === "") {
    throw ociInvalidError(
      `resource ${resource}: access has no imageReference:`,
      access,
      "An ociArtifact access is {type: ociArtifact, imageReference: host[:port]/repository[:tag][@sha256:<hex>]}.",
    );
  }
  return parseImageReference(value);
}

/**
 * The `referenceName` the Go tool stores for an image copied into a local blob: the image reference without
 * its registry host (`ghcr.io/acme/nginx:1.25.0` → `acme/nginx:1.25.0`).
 */
function referenceNameOf(reference: string): string {
  const slash = reference.indexOf("/");
  const first = slash < 0 ? "" : reference.slice(0, slash);
  const hasHost = first.includes(".") || first.includes(":") || first === "localhost";
  return hasHost ? reference.slice(slash + 1) : reference;
}

/** Reads and writes OCI artifacts named by `imageReference`. */
export const ociImageResources: ResourceRepository = {
  async getResource({ resource }, options) {
    const ref = imageReferenceOf(resource.access, resource.name);
    const client = clientFor(ref.registry, options);
    const { manifest, content } = await readArtifactSet(
      client,
      ref.repository,
      ref.digest ?? ref.tag ?? "latest",
      ref.tag,
    );
    const expected = resource.digest as
      { normalisationAlgorithm?: string; value?: string } | null | undefined;
    if (
      expected?.normalisationAlgorithm === ARTIFACT_DIGEST &&
      `sha256:${expected.value}` !== manifest.digest
    ) {
      throw ociDigestMismatchError(formatImageReference(ref), `sha256:${expected.value}`, manifest.digest);
    }
    // `digest` is the artifact's manifest digest (what ociArtifactDigest/v1 signs), not the archive's.
    return {
      mediaType: artifactSetMediaType(manifest.mediaType),
      digest: manifest.digest,
      referenceName: referenceNameOf(String(resource.access["imageReference"])),
      content,
    };
  },

  async addResource({ resource }, content, options) {
    const target = imageReferenceOf(resource.access, resource.name);
    const client = clientFor(target.registry, options);
    const pushed = await pushArtifactSet(client, target.repository, content, target.tag);
    if (target.digest !== undefined && target.digest !== pushed.digest) {
      throw ociDigestMismatchError(formatImageReference(target), target.digest, pushed.digest);
    }
    const expected = resource.digest as
      { normalisationAlgorithm?: string; value?: string } | null | undefined;
    if (
      expected?.normalisationAlgorithm === ARTIFACT_DIGEST &&
      `sha256:${expected.value}` !== pushed.digest
    ) {
      throw new OcmError({
        code: "OCM_REPOSITORY_DIGEST_MISMATCH",
        message: `resource ${resource.name}: pushed artifact has manifest digest ${pushed.digest}, the descriptor says sha256:${expected.value}`,
        hint: "The artifact set is not the artifact the descriptor was signed with; fetch it again from a trusted source.",
      });
    }
    const imageReference = formatImageReference({
      registry: target.registry,
      repository: target.repository,
      ...(pushed.tag ? { tag: pushed.tag } : {}),
      digest: pushed.digest,
    });
    return {
      resource: {
        ...resource,
        access: { ...resource.access, imageReference },
        digest: {
          hashAlgorithm: "SHA-256",
          normalisationAlgorithm: ARTIFACT_DIGEST,
          value: pushed.digest.slice(7),
        },
      },
    };
  },
};
