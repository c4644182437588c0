// Manifests and indexes (distribution spec "Pulling manifests", "Pushing manifests"), in OCI and Docker
// media types. Reads are size-bounded and checked against the digest they were asked for.
import { ociDigestMismatchError, requestFailedError } from "../oci-errors.js";
import { sha256Digest } from "./digest-stream.js";
import { MANIFEST_ACCEPT } from "./media-types.js";
import { readBody } from "./http.js";
import type { RegistryClient } from "./registry-client.js";

// The distribution spec lets registries refuse manifests above 4 MiB; nothing legitimate is larger.
const MAX_MANIFEST = 4 * 1024 * 1024;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** A manifest or index as stored: its exact bytes, media type and digest. */
export interface StoredManifest {
  bytes: Buffer;
  mediaType: string;
  digest: string;
}

/** Fetches a manifest by tag or digest; a digest reference is verified against the bytes. */
export async function getManifest(
  client: RegistryClient,
  repository: string,
  reference: string,
): Promise<StoredManifest> {
  const answer = await client.send({
    method: "GET",
    path: `/v2/${repository}/manifests/${reference}`,
    scopes: [`repository:${repository}:pull`],
    headers: { accept: MANIFEST_ACCEPT },
  });
  const bytes = await readBody("GET", answer.url, answer.body, MAX_MANIFEST);
  const digest = sha256Digest(bytes);
  if (DIGEST.test(reference) && reference !== digest)
    throw ociDigestMismatchError(answer.url, reference, digest);
  const contentType =
    String(answer.headers["content-type"] ?? "")
      .split(";")[0]
      ?.trim() ?? "";
  let mediaType = contentType;
  try {
    mediaType = (JSON.parse(bytes.toString("utf8")) as { mediaType?: string }).mediaType ?? contentType;
  } catch {
    throw requestFailedError("GET", answer.url, "manifest is not JSON");
  }
  return { bytes, mediaType, digest };
}

/** The digest, media type and size of a manifest, or undefined when the tag or digest does not exist. */
export async function headManifest(
  client: RegistryClient,
  repository: string,
  reference: string,
): Promise<{ digest?: string; mediaType: string; size: number } | undefined> {
  const answer = await client.send({
    method: "HEAD",
    path: `/v2/${repository}/manifests/${reference}`,
    scopes: [`repository:${repository}:pull`],
    headers: { accept: MANIFEST_ACCEPT },
    accept: [404],
  });
  await answer.body.dump();
  if (answer.status === 404) return undefined;
  const digest = answer.headers["docker-content-digest"];
  return {
    ...(typeof digest === "string" ? { digest } : {}),
    mediaType: String(answer.headers["content-type"] ?? ""),
    size: Number(answer.headers["content-length"] ?? 0),
  };
}

/** Stores a manifest under a tag or its digest; returns its digest. Blobs it references must exist. */
export async function putManifest(
  client: RegistryClient,
  repository: string,
  reference: string,
  bytes: Uint8Array,
  mediaType: string,
): Promise<string> {
  const answer = await client.send({
    method: "PUT",
    path: `/v2/${repository}/manifests/${reference}`,
    scopes: [`repository:${repository}:pull,push`],
    headers: { "content-type": mediaType },
    body: bytes,
  });
  await answer.body.dump();
  const digest = sha256Digest(bytes);
  const reported = answer.headers["docker-content-digest"];
  if (typeof reported === "string" && reported !== digest)
    throw ociDigestMismatchError(answer.url, digest, reported);
  return digest;
}
