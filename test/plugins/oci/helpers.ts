// Shared pieces of the OCI plugin tests: the capability implementations, a registry per suite, descriptors
// and byte helpers.
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

export { bytes, collect, descriptor, localResource, sha256 } from "../../helpers/component-versions.js";

/** Requests of the registry log that upload blob bytes (PATCH, or PUT of an upload session). */
export function blobUploads(registry: RunningRegistry): string[] {
  return registry.requests().filter((r) => /^(PATCH|PUT) \/v2\/.+\/blobs\/uploads\//.test(r));
}
