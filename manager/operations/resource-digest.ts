// The digest of a resource computed from its bytes (ocm-formats notes §4.1): genericBlobDigest/v1 hashes
// the blob; ociArtifactDigest/v1 is the manifest digest the resource's plugin reports for the artifact.
import { createHash } from "node:crypto";
import { once } from "node:events";
import { Parser } from "tar";
import { isOcmError, OcmError, type Blob } from "../../core/index.js";
import {
  canonicalAccessType,
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

/** True for the media type of an OCM artifact set (an OCI artifact as a tar or tgz of an OCI layout). */
export function isArtifactSetMediaType(mediaType: string | undefined): boolean {
  return (
    mediaType !== undefined &&
    /^application\/vnd\.(oci|docker|ocm|gardener)\..*\+tar(\+gzip)?$/.test(mediaType)
  );
}

/** Blob entries of an artifact set kept in memory to be parsed as manifests: larger ones are only hashed. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const BLOB_ENTRY = /^(?:\.\/)?blobs\/(sha256|sha512)\.([0-9a-f]+)$/;

function badArtifactSet(message: string, cause?: unknown): OcmError {
  return new OcmError({
    code: "OCM_SIGNING_BLOB_DIGEST_MISMATCH",
    message: `the artifact set ${message}`,
    hint: "The content was altered or corrupted; fetch it again from a trusted source.",
    cause,
  });
}

/**
 * The digest of an artifact set's main manifest (ocm-formats notes §2.1: `software.ocm/main` in
 * index.json, else its only manifest), computed from the bytes: every `blobs/<alg>.<hex>` entry must hash
 * to its name, and the main manifest and every manifest, config and layer it leads to must be in the set.
 */
export async function readArtifactSetDigest(content: AsyncIterable<Uint8Array>): Promise<string> {
  const present = new Set<string>();
  const small = new Map<string, Buffer>();
  let index: Buffer | undefined;
  let failure: unknown;
  const parser = new Parser({
    onReadEntry(entry) {
      const name = entry.path;
      const blob = BLOB_ENTRY.exec(name);
      if (entry.type !== "File" && entry.type !== "OldFile") return void entry.resume();
      if (name === "index.json" || name === "./index.json" || blob) {
        const hasher = blob ? createHash(blob[1] as string) : undefined;
        const chunks: Buffer[] = [];
        let size = 0;
        entry.on("data", (chunk: Buffer) => {
          hasher?.update(chunk);
          size += chunk.length;
          if (size <= MAX_MANIFEST_BYTES) chunks.push(chunk);
        });
        entry.on("end", () => {
          const bytes = size <= MAX_MANIFEST_BYTES ? Buffer.concat(chunks) : undefined;
          if (!blob) return void (index = bytes);
          const digest = `${blob[1]}:${blob[2]}`;
          if (hasher?.digest("hex") !== blob[2]) {
            failure ??= badArtifactSet(`entry ${name} does not hash to its name`);
            return;
          }
          present.add(digest);
          if (bytes?.[0] === 0x7b) small.set(digest, bytes); // JSON: a manifest, index or config
        });
        return;
      }
      entry.resume();
    },
  });
  parser.on("warn", (code: string, message: string) => {
    if (code !== "TAR_ENTRY_INFO") failure ??= badArtifactSet(`is not a readable tar archive: ${message}`);
  });
  const ended = new Promise<void>((resolve, reject) => {
    parser.on("end", resolve);
    parser.on("error", reject);
  });
  try {
    for await (const chunk of content) {
      if (!parser.write(Buffer.from(chunk))) await once(parser, "drain");
    }
    parser.end();
    await ended;
  } catch (error) {
    if (isOcmError(error)) throw error; // from reading the blob, e.g. the repository's own digest check
    throw badArtifactSet(`is not a readable tar archive: ${(error as Error).message}`, error);
  }
  if (failure) throw failure;
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

/** The media type the descriptor records for a resource's blob (local blobs carry it in the access). */
function accessMediaType(resource: Resource): string | undefined {
  const mediaType = resource.access["mediaType"];
  return typeof mediaType === "string" ? mediaType : undefined;
}

/** The digest of the content, without naming the resource in errors (the caller does). */
async function digestContent(
  manager: CapabilityProvider,
  target: ComponentVersionTarget,
  resource: Resource,
): Promise<DigestSpec> {
  const stored = resource.digest ?? undefined;
  const oci = canonicalAccessType(resource.access.type) === "OCIImage/v1";
  const artifactSet = !oci && isArtifactSetMediaType(accessMediaType(resource));
  const normalisationAlgorithm =
    stored?.normalisationAlgorithm ?? (oci || artifactSet ? "ociArtifactDigest/v1" : "genericBlobDigest/v1");
  const hash = toHashAlgorithm(stored?.hashAlgorithm ?? "SHA-256");
  const hashAlgorithm = stored?.hashAlgorithm ?? hash;
  const ociDigest = OCI_ARTIFACT_DIGESTS.has(normalisationAlgorithm);
  if (normalisationAlgorithm !== "genericBlobDigest/v1" && !(ociDigest && (oci || artifactSet))) {
    throw unsupported(
      `digest algorithm ${normalisationAlgorithm} is not supported for access type ${resource.access.type}` +
        (ociDigest ? " unless the blob is an OCI artifact set" : ""),
    );
  }
  let blob: Blob;
  try {
    blob = await openResource(manager, target, resource as ResourceEntry);
  } catch (error) {
    if (isOcmError(error) && error.code === "OCM_PLUGIN_NOT_FOUND") {
      throw unsupported(`no plugin reads access type ${resource.access.type}`, error);
    }
    throw error;
  }
  if (normalisationAlgorithm === "genericBlobDigest/v1") {
    const hasher = createHash(NODE_HASH[hash]);
    for await (const chunk of blob.content) hasher.update(chunk);
    return { hashAlgorithm, normalisationAlgorithm, value: hasher.digest("hex") };
  }
  if (artifactSet) {
    const main = await readArtifactSetDigest(blob.content);
    const [algorithm, value] = main.split(":");
    if (algorithm !== NODE_HASH[hash] || !value) {
      throw unsupported(`the artifact set's main manifest has digest ${main}, not a ${hash} digest`);
    }
    return { hashAlgorithm, normalisationAlgorithm, value };
  }
  await blob.content[Symbol.asyncIterator]().return?.();
  const [algorithm, value] = (blob.digest ?? "").split(":");
  if (algorithm !== NODE_HASH[hash] || !value) {
    throw unsupported(`the ${resource.access.type} plugin reported no ${hash} manifest digest`);
  }
  return { hashAlgorithm, normalisationAlgorithm, value };
}

/**
 * Computes the digest of `resource` from its content, with the algorithms of its stored digest when it has
 * one (else genericBlobDigest/v1, or ociArtifactDigest/v1 for an OCI artifact access or a blob that is an
 * artifact set, with SHA-256). For an artifact set (e.g. an image copied into a CTF by a transfer) the
 * digest is that of its main manifest, after every blob in the set was checked against its name. Every
 * failure names the resource and keeps the original code and cause; a repository reporting a digest
 * mismatch becomes OCM_SIGNING_BLOB_DIGEST_MISMATCH.
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
