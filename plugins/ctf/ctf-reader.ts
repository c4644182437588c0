// Read access to a CTF, the same for a directory and a tar/tgz archive: the index, small blobs whole
// (manifests, configs, descriptor layers, capped), and blobs as streams checked against their digest.
import { createHash } from "node:crypto";
import { createDigestMeter } from "../../sdk/index.js";
import type { ArtifactIndex } from "./artifact-index.js";
import { digestMismatchError, invalidError } from "./ctf-errors.js";

const DIGEST = /^sha256[:.]([a-f0-9]{64})$/;

/** The hex of a sha256 digest given as `sha256:<hex>` or in the file-name form `sha256.<hex>`; else undefined. */
export function sha256Hex(digest: string): string | undefined {
  return DIGEST.exec(digest)?.[1];
}

/** The most bytes a blob read whole (manifest, config, descriptor layer) may have. */
export const SMALL_BLOB_CAP = 8 << 20;

/** A blob opened for streaming. */
export interface OpenedBlob {
  size: number;
  content: AsyncGenerator<Uint8Array>;
}

/** A CTF opened for reading. */
export interface CtfReader {
  readIndex(): Promise<ArtifactIndex>;
  /** A small blob whole, digest checked. */
  readBlob(digest: string): Promise<Buffer>;
  /** A blob as a stream that fails at its end unless the bytes hash to `digest`; `size` must match if given. */
  openBlob(digest: string, size?: number): Promise<OpenedBlob>;
}

/** The archive path of a blob: `blobs/sha256.<hex>`. */
export function blobEntryName(where: string, digest: string): string {
  const hex = sha256Hex(digest);
  if (hex === undefined) throw invalidError(where, `unsupported blob digest ${JSON.stringify(digest)}`);
  return `blobs/sha256.${hex}`;
}

/** A blob the manifest lists but the CTF does not hold. */
export const missingBlobError = (where: string, digest: string, cause?: unknown) =>
  invalidError(where, `blob ${digest} is listed but missing`, cause);

/** Throws OCM_REPOSITORY_DIGEST_MISMATCH unless `bytes` hash to `digest`. */
export function checkDigest(where: string, digest: string, bytes: Uint8Array): Buffer {
  const actual = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  if (actual !== `sha256:${sha256Hex(digest) ?? ""}`) throw digestMismatchError(where, digest, actual);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Throws OCM_REPOSITORY_DIGEST_MISMATCH when a stored blob's size is not the announced one. */
export function checkSize(where: string, digest: string, expected: number | undefined, actual: number): void {
  if (expected !== undefined && expected !== actual)
    throw digestMismatchError(where, `${digest} of ${expected} bytes`, `${actual} bytes`);
}

/**
 * Streams a blob, hashing as it goes; when the bytes end and their digest is not `digest`, the stream fails
 * with OCM_REPOSITORY_DIGEST_MISMATCH.
 */
export async function* verifiedStream(
  source: AsyncIterable<Uint8Array>,
  where: string,
  digest: string,
): AsyncGenerator<Uint8Array> {
  const meter = createDigestMeter();
  yield* meter.pass(source);
  const actual = meter.digest();
  if (actual !== `sha256:${sha256Hex(digest) ?? ""}`) throw digestMismatchError(where, digest, actual);
}
