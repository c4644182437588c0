// The digest of a resource computed from its content: by the digestProcessor a plugin serves for its access
// type or its media type (an OCI artifact's digest is its manifest's), else genericBlobDigest/v1, the hash
// of its bytes (docs/plugin-authors.md, "digestProcessor").
import { createHash } from "node:crypto";
import {
  isOcmError,
  OcmError,
  type Blob,
  type DigestProcessor,
  type WireResource,
} from "../../core/index.js";
import {
  isNoneAccess,
  toHashAlgorithm,
  type DigestSpec,
  type HashAlgorithm,
  type Resource,
} from "../../core/model/index.js";
import type { CapabilityProvider } from "../../core/index.js";
import { openResource } from "./download-resource.js";
import type { ResourceEntry } from "./find-resource.js";
import type { ComponentVersionTarget } from "./read-descriptor.js";

/** The digest value of a resource excluded from signing. */
export const EXCLUDED_DIGEST = "EXCLUDE-FROM-SIGNATURE";

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

function unsupported(message: string, cause?: unknown): OcmError {
  // A missing plugin's own hint names the plugin and the install command: it goes first.
  const install = isOcmError(cause) && cause.hint ? `${cause.hint} ` : "";
  return new OcmError({
    code: "OCM_SIGNING_DIGEST_UNSUPPORTED",
    message,
    hint: `${install}Install a plugin that reads this access type, or give the resource the EXCLUDE-FROM-SIGNATURE digest.`,
    cause,
  });
}

const GENERIC_BLOB_DIGEST = "genericBlobDigest/v1";

/** The digestProcessor `manager` has for `key` (an access type or a media type), if any. */
async function findProcessor(manager: CapabilityProvider, key: string): Promise<DigestProcessor | undefined> {
  try {
    return await manager.getPlugin(key, "digestProcessor");
  } catch (error) {
    if (isOcmError(error) && error.code === "OCM_PLUGIN_NOT_FOUND") return undefined;
    throw error;
  }
}

/** Opens the resource's content; an access type no plugin reads is an unsupported digest. */
async function openContent(
  manager: CapabilityProvider,
  target: ComponentVersionTarget,
  resource: Resource,
): Promise<Blob> {
  try {
    return await openResource(manager, target, resource as ResourceEntry);
  } catch (error) {
    if (isOcmError(error) && error.code === "OCM_PLUGIN_NOT_FOUND") {
      throw unsupported(`no plugin reads access type ${resource.access.type}`, error);
    }
    throw error;
  }
}

/**
 * The digest a plugin computes in its technology's own way: the digestProcessor of the access type (it
 * reads what it needs itself), else that of the media type the access records (a local blob's; the bytes
 * are streamed to it). Undefined when no plugin serves either.
 */
async function processDigest(
  manager: CapabilityProvider,
  target: ComponentVersionTarget,
  resource: Resource,
  algorithms: { hashAlgorithm?: string; normalisationAlgorithm?: string },
): Promise<DigestSpec | undefined> {
  const context = { repository: target.repository, component: target.component, version: target.version };
  const wire = resource as unknown as WireResource;
  const byAccess = await findProcessor(manager, resource.access.type);
  if (byAccess?.digestResource) {
    return (await byAccess.digestResource({ ...context, resource: wire, ...algorithms })).digest;
  }
  const mediaType = resource.access["mediaType"];
  if (typeof mediaType !== "string" || mediaType === "") return undefined;
  const byMediaType = await findProcessor(manager, mediaType);
  if (!byMediaType?.digestBlob) return undefined;
  const blob = await openContent(manager, target, resource);
  try {
    const request = { ...context, resource: wire, mediaType, ...algorithms };
    return (await byMediaType.digestBlob(request, blob.content)).digest;
  } finally {
    await blob.content[Symbol.asyncIterator]().return?.();
  }
}

/** The digest of the content, without naming the resource in errors (the caller does). */
async function digestContent(
  manager: CapabilityProvider,
  target: ComponentVersionTarget,
  resource: Resource,
): Promise<DigestSpec> {
  const stored = resource.digest ?? undefined;
  if (stored?.normalisationAlgorithm !== GENERIC_BLOB_DIGEST) {
    const algorithms = stored
      ? { hashAlgorithm: stored.hashAlgorithm, normalisationAlgorithm: stored.normalisationAlgorithm }
      : {};
    const processed = await processDigest(manager, target, resource, algorithms);
    if (processed !== undefined) return processed;
    if (stored !== undefined) {
      throw unsupported(
        `digest algorithm ${stored.normalisationAlgorithm} is not supported for access type ${resource.access.type}: no plugin serves it as a digestProcessor`,
      );
    }
  }
  const hash = toHashAlgorithm(stored?.hashAlgorithm ?? "SHA-256");
  const blob = await openContent(manager, target, resource);
  const hasher = createHash(NODE_HASH[hash]);
  for await (const chunk of blob.content) hasher.update(chunk);
  return {
    hashAlgorithm: stored?.hashAlgorithm ?? hash,
    normalisationAlgorithm: GENERIC_BLOB_DIGEST,
    value: hasher.digest("hex"),
  };
}

/**
 * Computes the digest of `resource` from its content, with the algorithms of its stored digest when it has
 * one. A genericBlobDigest/v1 digest is the hash of the bytes; any other, and the digest of a resource
 * without one, is asked of the digestProcessor of the access type, else of the access's media type (a
 * local blob holding an OCI artifact gets its manifest's digest); without either it is
 * genericBlobDigest/v1 with SHA-256. Every failure names the resource and keeps the original code and
 * cause; a repository reporting a digest mismatch becomes OCM_SIGNING_BLOB_DIGEST_MISMATCH.
 */
export async function computeResourceDigest(
  manager: CapabilityProvider,
  target: ComponentVersionTarget,
  resource: Resource,
): Promise<DigestSpec> {
  const where = `resource ${resourceLabel(resource)} of ${target.component}:${target.version}`;
  try {
    return await digestContent(manager, target, resource);
  } catch (error) {
    if (!isOcmError(error)) throw error;
    const mismatch = error.code === "OCM_REPOSITORY_DIGEST_MISMATCH";
    throw new OcmError({
      code: mismatch ? "OCM_SIGNING_BLOB_DIGEST_MISMATCH" : error.code,
      message: `${where}: ${error.message}`,
      hint: mismatch
        ? "The content was altered or corrupted; fetch it again from a trusted source."
        : error.hint,
      details: {
        ...error.details,
        resource: resourceLabel(resource),
        component: target.component,
        version: target.version,
      },
      cause: error,
    });
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
