// Small builders and stream helpers shared by the repository plugin tests (CTF, OCI).
import { createHash } from "node:crypto";

export const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest("hex");

/** Reads a blob stream to its end. */
export async function collect(content: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of content) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** A single-chunk stream. */
export async function* bytes(data: string | Uint8Array): AsyncGenerator<Uint8Array> {
  yield typeof data === "string" ? new TextEncoder().encode(data) : data;
}

/** A minimal v2 descriptor with the given resources. */
export function descriptor(name: string, version: string, resourceList: Record<string, unknown>[] = []) {
  return {
    meta: { schemaVersion: "v2" },
    component: {
      name,
      version,
      provider: "acme.org",
      creationTime: "2025-03-18T09:44:42Z",
      repositoryContexts: [],
      resources: resourceList,
      sources: [],
      componentReferences: [],
    },
  };
}

/** A localBlob resource entry for bytes stored under `digest`. */
export function localResource(name: string, digest: string, mediaType = "text/plain") {
  return {
    name,
    version: "1.0.0",
    type: "blob",
    relation: "local",
    access: { type: "localBlob", localReference: digest, mediaType },
    digest: {
      hashAlgorithm: "SHA-256",
      normalisationAlgorithm: "genericBlobDigest/v1",
      value: digest.slice(7),
    },
  };
}
