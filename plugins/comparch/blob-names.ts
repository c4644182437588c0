// Local blobs of a component archive are files in blobs/, named by localReference (the Go tool writes
// `sha256.<hex>`; legacy archives use any file name). A name is one path segment, never `..` or a path.
import { createHash } from "node:crypto";
import { digestMismatchError, invalidError } from "./comparch-errors.js";

/** The file name in blobs/ for `localReference`; a `sha256:<hex>` digest means `sha256.<hex>`. */
export function blobFileName(where: string, localReference: string): string {
  const digest = /^sha256:([0-9a-f]{64})$/.exec(localReference);
  const name = digest ? `sha256.${digest[1]}` : localReference;
  if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name) || name.startsWith(".upload-")) {
    throw invalidError(
      where,
      `localReference ${JSON.stringify(localReference)} is not a file name in blobs/`,
    );
  }
  return name;
}

/** The digest a blob file name stands for (`sha256.<hex>` → `sha256:<hex>`), if it is one. */
export function digestOfName(name: string): string | undefined {
  const match = /^sha256\.([0-9a-f]{64})$/.exec(name);
  return match ? `sha256:${match[1]}` : undefined;
}

/** Passes `source` through, failing at its end unless the bytes hash to `digest` (when there is one). */
export async function* verifiedStream(
  source: AsyncIterable<Uint8Array>,
  where: string,
  digest: string | undefined,
): AsyncGenerator<Uint8Array> {
  const hash = createHash("sha256");
  for await (const chunk of source) {
    hash.update(chunk);
    yield chunk;
  }
  const actual = `sha256:${hash.digest("hex")}`;
  if (digest !== undefined && actual !== digest) throw digestMismatchError(where, digest, actual);
}
