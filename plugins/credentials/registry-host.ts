// Docker keys its config by registry host, written in several ways (`ghcr.io`, `https://ghcr.io`,
// `https://index.docker.io/v1/`); this brings keys and OCI consumer identities to one form.
import type { Identity } from "../../core/index.js";

const DOCKER_HUB_HOSTS = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);

/** The server URL docker uses for Docker Hub, in `auths` keys and towards credential helpers. */
export const DOCKER_HUB_SERVER = "https://index.docker.io/v1/";

/** `host[:port]` of a docker config key, lower case, without scheme or path; Docker Hub as `docker.io`. */
export function normalizeRegistryKey(key: string): string {
  const withoutScheme = key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
  const host = (withoutScheme.split("/")[0] ?? "").toLowerCase();
  return DOCKER_HUB_HOSTS.has(host) ? "docker.io" : host;
}

/** True for an OCI registry consumer identity (`OCIRegistry`, `OCIRegistry/v1`). */
export function isOciRegistryIdentity(identity: Identity): boolean {
  const type = identity["type"];
  return type === "OCIRegistry" || type === "OCIRegistry/v1";
}

/** `host[:port]` of an OCI registry identity in the form of normalizeRegistryKey, or undefined without a hostname. */
export function registryHostOf(identity: Identity): string | undefined {
  const hostname = identity["hostname"];
  if (!hostname) return undefined;
  const port = identity["port"];
  return normalizeRegistryKey(port ? `${hostname}:${port}` : hostname);
}

/** The first entry of `record` whose key names `host`, with its key as written. */
export function findByHost<T>(record: Record<string, T> | undefined, host: string): [string, T] | undefined {
  if (!record) return undefined;
  for (const [key, value] of Object.entries(record)) {
    if (normalizeRegistryKey(key) === host) return [key, value];
  }
  return undefined;
}

/** The server URL handed to a credential helper: the key as the config writes it, else docker's form. */
export function serverUrlFor(host: string, key: string | undefined): string {
  if (key !== undefined) return key;
  return host === "docker.io" ? DOCKER_HUB_SERVER : host;
}
