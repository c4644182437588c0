// Whom the host asks for the credentials of an OCI registry (ADR 0006): OCM's consumer identity
// `{type: OCIRegistry, hostname, port?, pathprefix?}`, derived from a repository spec (`baseUrl`, `subPath`),
// an `ociArtifact` access (`imageReference`) or an `ociBlob` access (`ref`). Docker Hub's several host
// names are one consumer, `docker.io`, so one configured identity serves every way of writing it.
import type { ConsumerIdentityProvider, Identity } from "../../core/index.js";
import { parseImageReference, type RegistryLocation } from "./distribution/reference.js";
import { parseOciSpec } from "./repository-spec.js";

/** The consumer type of OCI registries, as OCM v1 names it (`OCIRegistry/v1` matches it too). */
export const OCI_REGISTRY_CONSUMER = "OCIRegistry";

const DOCKER_HUB_HOSTS = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);

/** The consumerIdentity capability of the OCI repository and access types. */
export const ociConsumerIdentity: ConsumerIdentityProvider = {
  async consumerIdentity({ spec }) {
    return { identity: ociIdentityOf(spec) };
  },
};

/**
 * The consumer identity of an OCI repository or access spec, or null for a spec that names no registry (a
 * bare `{type}`). A spec that names one badly fails as the call itself would, with the same error.
 */
export function ociIdentityOf(spec: Record<string, unknown>): Identity | null {
  const text = (name: string) =>
    typeof spec[name] === "string" && spec[name] !== "" ? spec[name] : undefined;
  if (text("baseUrl") !== undefined) {
    const { registry, subPath } = parseOciSpec(spec);
    return registryIdentity(registry, subPath);
  }
  const reference = text("imageReference") ?? text("ref");
  if (reference === undefined) return null;
  const { registry, repository } = parseImageReference(reference);
  return registryIdentity(registry, repository);
}

function registryIdentity(registry: RegistryLocation, path: string): Identity {
  // The origin's URL drops a scheme's default port (`https://ghcr.io:443` is `ghcr.io`).
  const url = new URL(registry.origin);
  const hostname = url.hostname.toLowerCase();
  const identity: Identity = {
    type: OCI_REGISTRY_CONSUMER,
    hostname: DOCKER_HUB_HOSTS.has(hostname) ? "docker.io" : hostname,
  };
  if (url.port) identity["port"] = url.port;
  if (path) identity["pathprefix"] = path;
  return identity;
}
