// Shared pieces of the OCI plugin tests: the capability implementations, a registry per suite, descriptors
// and byte helpers.
import { createHash } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { ociPlugin } from "../../../plugins/oci/plugin.js";
import { startRegistry, type RunningRegistry, type StartRegistryOptions } from "../../helpers/registry.js";

function capability<K extends "componentVersionRepository" | "componentLister" | "resourceRepository">(
  type: string,
  kind: K,
) {
  const implementation = ociPlugin.types[type]?.capabilities[kind];
  if (implementation === undefined) throw new Error(`the oci plugin serves no ${kind} for ${type}`);
  return implementation;
}

export const versions = capability("OCIRegistry/v1", "componentVersionRepository");
export const lister = capability("OCIRegistry/v1", "componentLister");
export const localBlobs = capability("OCIRegistry/v1", "resourceRepository");
export const images = capability("OCIImage/v1", "resourceRepository");
export const ociBlobs = capability("OCIImageLayer/v1", "resourceRepository");

/** Starts a registry before the suite and stops it after; the getter is valid inside tests. */
export function useRegistry(options: StartRegistryOptions = {}): () => RunningRegistry {
  let registry: RunningRegistry | undefined;
  beforeAll(async () => {
    registry = await startRegistry(options);
  });
  afterAll(async () => {
    await registry?.stop();
  });
  return () => {
    if (registry === undefined) throw new Error("registry not started");
    return registry;
  };
}

/** An OCIRegistry/v1 repository specification for a running registry. */
export const repo = (registry: RunningRegistry, subPath?: string) => ({
  type: "OCIRegistry/v1",
  baseUrl: registry.url,
  ...(subPath ? { subPath } : {}),
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

/** Requests of the registry log that upload blob bytes (PATCH, or PUT of an upload session). */
export function blobUploads(registry: RunningRegistry): string[] {
  return registry.requests().filter((r) => /^(PATCH|PUT) \/v2\/.+\/blobs\/uploads\//.test(r));
}
