// The flat blob directory of a CTF (`blobs/sha256.<hex>`): blobs are streamed in while hashed and renamed
// into place only when their digest is right, and streamed out while hashed so corruption fails the read.
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { lstat, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { ownerTag, requireRealDirectory } from "../../sdk/archive/index.js";
import { createDigestMeter } from "../../sdk/index.js";
import { digestMismatchError, invalidError } from "./ctf-errors.js";

const DIGEST = /^sha256[:.]([a-f0-9]{64})$/;

/** The hex of a sha256 digest given as `sha256:<hex>` or in the file-name form `sha256.<hex>`; else undefined. */
export function sha256Hex(digest: string): string | undefined {
  return DIGEST.exec(digest)?.[1];
}

/** The path of a blob inside a CTF root. */
export function blobPath(root: string, digest: string): string {
  const hex = sha256Hex(digest);
  if (hex === undefined) throw invalidError(root, `unsupported blob digest ${JSON.stringify(digest)}`);
  return join(root, "blobs", `sha256.${hex}`);
}

/** True when the CTF holds a blob with this digest (a regular file: a link there does not count). */
export async function hasBlob(root: string, digest: string): Promise<boolean> {
  return lstat(blobPath(root, digest)).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** The `blobs` directory of a CTF root, created when missing; a symlink there is refused. */
export async function blobsDirectory(root: string): Promise<string> {
  const dir = join(root, "blobs");
  await mkdir(dir, { recursive: true });
  await requireRealDirectory(dir, "CTF");
  return dir;
}

/** What a stored blob turned out to be. */
export interface StoredBlob {
  digest: string;
  size: number;
}

/**
 * Streams `content` into the CTF: to a temp file in `blobs/` while hashing, then renamed to its digest.
 * A wrong `expectedDigest` or `expectedSize` removes the temp file and throws OCM_REPOSITORY_DIGEST_MISMATCH.
 */
export async function writeBlobStream(
  root: string,
  content: AsyncIterable<Uint8Array>,
  expected: { digest?: string | undefined; size?: number | undefined } = {},
): Promise<StoredBlob> {
  const dir = await blobsDirectory(root);
  const temp = join(dir, `.upload-${ownerTag()}-${randomBytes(8).toString("hex")}`);
  const meter = createDigestMeter();
  try {
    await pipeline(
      content,
      (source: AsyncIterable<Uint8Array>) => meter.pass(source),
      createWriteStream(temp, { flags: "wx", mode: 0o644 }),
    );
    const digest = meter.digest();
    const size = meter.size;
    if (expected.digest !== undefined && expected.digest !== digest) {
      throw digestMismatchError(root, expected.digest, digest);
    }
    if (expected.size !== undefined && expected.size !== size) {
      throw digestMismatchError(
        root,
        `${expected.digest ?? digest} of ${expected.size} bytes`,
        `${size} bytes`,
      );
    }
    await rename(temp, blobPath(root, digest));
    return { digest, size };
  } finally {
    await rm(temp, { force: true });
  }
}

/** Stores small bytes (manifests, configs, descriptor layers) under their digest. */
export async function writeBlobBytes(root: string, bytes: Uint8Array): Promise<StoredBlob> {
  const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  const path = blobPath(root, digest);
  if (!(await hasBlob(root, digest))) {
    await blobsDirectory(root);
    const temp = `${path}.${ownerTag()}-${randomBytes(6).toString("hex")}.tmp`;
    try {
      await writeFile(temp, bytes, { mode: 0o644, flag: "wx" });
      await rename(temp, path);
    } finally {
      await rm(temp, { force: true });
    }
  }
  return { digest, size: bytes.length };
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
