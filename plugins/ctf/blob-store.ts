// The flat blob directory of a CTF (`blobs/sha256.<hex>`): blobs are streamed in while hashed and renamed
// into place only when their digest is right. A blob the CTF holds already (in a directory, or inside the
// archive a session rewrites) is not written again.
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { ownerTag, requireRealDirectory } from "../../sdk/archive/index.js";
import { createDigestMeter } from "../../sdk/index.js";
import { digestMismatchError } from "./ctf-errors.js";
import { blobEntryName } from "./ctf-reader.js";
import type { WriteRoot } from "./write-root.js";

/** The path of a blob inside the CTF directory `dir`. */
function blobPath(dir: string, digest: string): string {
  return join(dir, blobEntryName(dir, digest));
}

/** The `blobs` directory of a CTF root, created when missing; a symlink there is refused. */
async function blobsDirectory(root: WriteRoot): Promise<string> {
  const dir = join(root.dir, "blobs");
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
  root: WriteRoot,
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
      throw digestMismatchError(root.where, expected.digest, digest);
    }
    if (expected.size !== undefined && expected.size !== size) {
      throw digestMismatchError(
        root.where,
        `${expected.digest ?? digest} of ${expected.size} bytes`,
        `${size} bytes`,
      );
    }
    await rename(temp, blobPath(root.dir, digest));
    return { digest, size };
  } finally {
    await rm(temp, { force: true });
  }
}

/** Stores small bytes (manifests, configs, descriptor layers) under their digest. */
export async function writeBlobBytes(root: WriteRoot, bytes: Uint8Array): Promise<StoredBlob> {
  const digest = `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  if ((await root.blobSize(digest)) === undefined) {
    await blobsDirectory(root);
    const path = blobPath(root.dir, digest);
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
