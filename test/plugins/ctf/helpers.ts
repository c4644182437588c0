// Shared pieces of the CTF plugin tests: the capability implementations, fixture paths and byte helpers.
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ctfPlugin } from "../../../plugins/ctf/plugin.js";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/ocm");

const ctfType = ctfPlugin.types["CommonTransportFormat/v1"];
if (ctfType === undefined) throw new Error("the ctf plugin serves no CommonTransportFormat/v1");

export const versions = ctfType.capabilities.componentVersionRepository!;
export const lister = ctfType.capabilities.componentLister!;
export const resources = ctfType.capabilities.resourceRepository!;

/** A repository specification for a CTF at `filePath`. */
export const repo = (filePath: string, extra: Record<string, unknown> = {}) => ({
  type: "CommonTransportFormat/v1",
  filePath,
  ...extra,
});

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
