// resourceRepository for `ociBlob` / `OCIImageLayer/v1` accesses: one blob of a registry repository, named by
// `ref` (the repository; the Go tools' field, the spec's `imageReference` is read too) and `digest`.
import type { ResourceRepository } from "../../core/index.js";
import { pushBlob } from "./distribution/blob-upload.js";
import { getBlob } from "./distribution/blobs.js";
import { parseImageReference } from "./distribution/reference.js";
import { ociInvalidError } from "./oci-errors.js";
import { clientFor } from "./repository-spec.js";

const HINT =
  "An ociBlob access is {type: ociBlob, ref: host[:port]/repository, digest: sha256:<hex>, mediaType?, size?}.";

function repositoryOf(access: Record<string, unknown>, resource: string) {
  const ref = access["ref"] ?? access["imageReference"];
  if (typeof ref !== "string" || ref === "")
    throw ociInvalidError(`resource ${resource}: access has no ref:`, access, HINT);
  return parseImageReference(ref);
}

/** Reads and writes single registry blobs. */
export const ociBlobResources: ResourceRepository = {
  async getResource({ resource }, options) {
    const access = resource.access;
    const ref = repositoryOf(access, resource.name);
    const digest = access["digest"];
    if (typeof digest !== "string" || !/^sha256:[a-f0-9]{64}$/.test(digest)) {
      throw ociInvalidError(`resource ${resource.name}: access digest`, digest, HINT);
    }
    const blob = await getBlob(clientFor(ref.registry, options), ref.repository, digest);
    const mediaType =
      typeof access["mediaType"] === "string" ? access["mediaType"] : "application/octet-stream";
    return {
      mediaType,
      digest,
      ...(blob.size === undefined ? {} : { size: blob.size }),
      content: blob.content,
    };
  },

  async addResource({ resource, mediaType }, content, options) {
    const access = resource.access;
    const ref = repositoryOf(access, resource.name);
    const announced = typeof access["digest"] === "string" ? access["digest"] : undefined;
    const size = typeof access["size"] === "number" ? access["size"] : undefined;
    const pushed = await pushBlob(clientFor(ref.registry, options), ref.repository, content, {
      digest: announced,
      size,
    });
    const type =
      mediaType ??
      (typeof access["mediaType"] === "string" ? access["mediaType"] : "application/octet-stream");
    return {
      resource: {
        ...resource,
        access: {
          ...access,
          ref: `${ref.registry.host}/${ref.repository}`,
          digest: pushed.digest,
          size: pushed.size,
          mediaType: type,
        },
        digest: {
          hashAlgorithm: "SHA-256",
          normalisationAlgorithm: "genericBlobDigest/v1",
          value: pushed.digest.slice(7),
        },
      },
    };
  },
};
