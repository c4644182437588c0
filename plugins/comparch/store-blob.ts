// Stores one blob in blobs/ of an archive root as `sha256.<hex>`: streamed into a temp file while hashing,
// checked against the announced digest and size, then renamed into place (an existing copy is kept).
import { randomBytes } from "node:crypto";
import { open, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { ownerTag } from "../../sdk/archive/index.js";
import { createDigestMeter } from "../../sdk/index.js";
import { digestMismatchError } from "./comparch-errors.js";

/** What was stored: the file name in blobs/, its digest and size. */
export interface StoredBlob {
  name: string;
  digest: string;
  size: number;
}

/** Streams `content` into `root`/blobs; fails (storing nothing) when the bytes do not match `expected`. */
export async function storeBlob(
  root: string,
  where: string,
  content: AsyncIterable<Uint8Array>,
  expected: { digest?: string | undefined; size?: number | undefined },
): Promise<StoredBlob> {
  const temp = join(root, "blobs", `.upload-${ownerTag()}-${randomBytes(6).toString("hex")}`);
  const handle = await open(temp, "wx", 0o644);
  try {
    const meter = createDigestMeter();
    try {
      for await (const chunk of meter.pass(content)) await handle.write(chunk);
    } finally {
      await handle.close();
    }
    const digest = meter.digest();
    const size = meter.size;
    if (expected.digest !== undefined && expected.digest !== digest)
      throw digestMismatchError(where, expected.digest, digest);
    if (expected.size !== undefined && expected.size !== size)
      throw digestMismatchError(where, `${digest} of ${expected.size} bytes`, `${size} bytes`);
    const name = `sha256.${digest.slice("sha256:".length)}`;
    const target = join(root, "blobs", name);
    const present = await stat(target).then(
      (info) => info.isFile() && info.size === size,
      () => false,
    );
    if (!present) await rename(temp, target);
    return { name, digest, size };
  } finally {
    await rm(temp, { force: true });
  }
}
