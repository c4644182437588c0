// The digest of a resource computed from its bytes (ocm-formats notes §4.1): genericBlobDigest/v1 hashes
// the blob; ociArtifactDigest/v1 is the manifest digest the resource's plugin reports for the artifact.
import { createHash } from "node:crypto";
import { isOcmError, OcmError } from "../../core/index.js";
import {
  canonicalAccessType,
  isNoneAccess,
  toHashAlgorithm,
  type DigestSpec,
  type HashAlgorithm,
  type Resource,
} from "../../core/model/index.js";
import type { PluginManager } from "../plugin-manager.js";
import { openResource } from "./download-resource.js";
import type { ResourceEntry } from "./find-resource.js";
import type { ComponentVersionTarget } from "./read-descriptor.js";

/** The digest value of a resource excluded from signing. */
export const EXCLUDED_DIGEST = "EXCLUDE-FROM-SIGNATURE";
const OCI_ARTIFACT_DIGESTS = new Set(["ociArtifactDigest/v1", "ociArtefactDigest/v1"]);

/** `name` or `name[k=v,…]`, for messages. */
export function resourceLabel(resource: Resource): string {
  const extra = Object.entries(resource.extraIdentity ?? {}).map(([k, v]) => `${k}=${v}`);
  return extra.length ? `${resource.name}[${extra.join(",")}]` : resource.name;
}

/** True when the resource has no digest to compute: no content (`none` access) or explicitly excluded. */
export function isUndigested(resource: Resource): boolean {
  return isNoneAccess(resource.access) || resource.digest?.normalisationAlgorithm === EXCLUDED_DIGEST;
}

const NODE_HASH: Record<HashAlgorithm, string> = { "SHA-256": "sha256", "SHA-512": "sha512" };

function unsupported(where: string, message: string, cause?: unknown): OcmError {
  return new OcmError({
    code: "OCM_SIGNING_DIGEST_UNSUPPORTED",
    message: `${where}: ${message}`,
    hint: "Install a plugin that reads this access type, or give the resource the EXCLUDE-FROM-SIGNATURE digest.",
    cause,
  });
}

/**
 * Computes the digest of `resource` from its content, with the algorithms of its stored digest when it has
 * one (else genericBlobDigest/v1, or ociArtifactDigest/v1 for an OCI artifact access, with SHA-256). An
 * unreadable blob whose repository reports a digest mismatch is OCM_SIGNING_BLOB_DIGEST_MISMATCH.
 */
export async function computeResourceDigest(
  manager: PluginManager,
  target: ComponentVersionTarget,
  resource: Resource,
): Promise<DigestSpec> {
  const where = `resource ${resourceLabel(resource)} of ${target.component}:${target.version}`;
  const stored = resource.digest ?? undefined;
  const oci = canonicalAccessType(resource.access.type) === "OCIImage/v1";
  const normalisationAlgorithm =
    stored?.normalisationAlgorithm ?? (oci ? "ociArtifactDigest/v1" : "genericBlobDigest/v1");
  const hash = toHashAlgorithm(stored?.hashAlgorithm ?? "SHA-256");
  if (
    normalisationAlgorithm !== "genericBlobDigest/v1" &&
    !(OCI_ARTIFACT_DIGESTS.has(normalisationAlgorithm) && oci)
  ) {
    throw unsupported(
      where,
      `digest algorithm ${normalisationAlgorithm} is not supported for access type ${resource.access.type}`,
    );
  }
  try {
    const blob = await openResource(manager, target, resource as ResourceEntry);
    if (normalisationAlgorithm === "genericBlobDigest/v1") {
      const hasher = createHash(NODE_HASH[hash]);
      for await (const chunk of blob.content) hasher.update(chunk);
      return {
        hashAlgorithm: stored?.hashAlgorithm ?? hash,
        normalisationAlgorithm,
        value: hasher.digest("hex"),
      };
    }
    await blob.content[Symbol.asyncIterator]().return?.();
    const [algorithm, value] = (blob.digest ?? "").split(":");
    if (algorithm !== NODE_HASH[hash] || !value) {
      throw unsupported(where, `the ${resource.access.type} plugin reported no ${hash} manifest digest`);
    }
    return { hashAlgorithm: stored?.hashAlgorithm ?? hash, normalisationAlgorithm, value };
  } catch (error) {
    if (!isOcmError(error)) throw error;
    if (error.code === "OCM_PLUGIN_NOT_FOUND") {
      throw unsupported(where, `no plugin reads access type ${resource.access.type}`, error);
    }
    if (error.code === "OCM_REPOSITORY_DIGEST_MISMATCH") {
      throw new OcmError({
        code: "OCM_SIGNING_BLOB_DIGEST_MISMATCH",
        message: `${where}: ${error.message}`,
        hint: "The content was altered or corrupted; fetch it again from a trusted source.",
        cause: error,
      });
    }
    throw error;
  }
}

/** The error for a resource whose bytes do not match its stored digest. */
export function blobDigestMismatch(where: string, stored: DigestSpec, actual: DigestSpec): OcmError {
  return new OcmError({
    code: "OCM_SIGNING_BLOB_DIGEST_MISMATCH",
    message: `${where}: its content has digest ${actual.value}, the descriptor says ${stored.value}`,
    hint: "The content was altered or corrupted; fetch it again from a trusted source.",
    details: { stored, actual },
  });
}

/** True when two digests name the same algorithms (legacy hash spellings aside) and value. */
export function sameDigest(a: DigestSpec, b: DigestSpec): boolean {
  return (
    a.normalisationAlgorithm === b.normalisationAlgorithm &&
    toHashAlgorithm(a.hashAlgorithm) === toHashAlgorithm(b.hashAlgorithm) &&
    a.value === b.value
  );
}
