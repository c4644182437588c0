// Registry locations and image references: where to send requests (scheme from the URL; loopback hosts
// plain HTTP, everything else HTTPS) and how `host[:port]/repo[:tag][@digest]` splits up.
import { ociInvalidError } from "../oci-errors.js";

/** A registry: the origin requests go to, and the host as references name it. */
export interface RegistryLocation {
  /** `http(s)://host[:port]`, never with credentials or a path. */
  origin: string;
  /** `host[:port]` as written in image references. */
  host: string;
}

/** A parsed image reference. */
export interface ImageReference {
  registry: RegistryLocation;
  repository: string;
  tag?: string;
  digest?: string;
}

const LOOPBACK = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;
const HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?)(:\d{1,5})?$/;
const REPOSITORY = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$|^sha512:[a-f0-9]{128}$/;

/**
 * The location of a registry given as `http(s)://host[:port][/...]` or a bare `host[:port]`. A URL keeps its
 * scheme; a bare loopback host is plain HTTP, any other bare host HTTPS. Credentials in a URL are dropped.
 */
export function registryLocation(baseUrl: string): RegistryLocation {
  const scheme = /^(https?):\/\//i.exec(baseUrl);
  const rest = scheme ? baseUrl.slice(scheme[0].length) : baseUrl;
  const host = (rest.split("/", 1)[0] ?? "").replace(/^.*@/, "");
  if (!HOST.test(host)) {
    throw ociInvalidError("registry", host, "Write the registry as host[:port] or http(s)://host[:port].");
  }
  const protocol = scheme?.[1]?.toLowerCase() ?? (LOOPBACK.test(host) ? "http" : "https");
  // Docker Hub's API lives on another host than the one image references name.
  const apiHost = host === "docker.io" || host === "index.docker.io" ? "registry-1.docker.io" : host;
  return { origin: `${protocol}://${apiHost}`, host };
}

/** True for a valid OCI repository name (distribution spec `<name>`). */
export function isRepositoryName(name: string): boolean {
  return REPOSITORY.test(name);
}

/**
 * Parses `[http(s)://]host[:port]/repo[:tag][@digest]`. A reference whose first segment is not a host (no
 * `.`, `:` or `localhost`) is on Docker Hub, with `library/` for single-segment names.
 */
export function parseImageReference(reference: string): ImageReference {
  const hint = "Write an image reference as host[:port]/repository[:tag][@sha256:<hex>].";
  const scheme = /^https?:\/\//i.exec(reference)?.[0] ?? "";
  let rest = reference.slice(scheme.length);
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw ociInvalidError("image reference digest", reference, hint);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw ociInvalidError("image reference tag", reference, hint);
  }
  const slash = rest.indexOf("/");
  const first = slash < 0 ? "" : rest.slice(0, slash);
  const explicitHost = scheme !== "" || first.includes(".") || first.includes(":") || first === "localhost";
  const host = explicitHost ? first : "docker.io";
  let repository = explicitHost ? rest.slice(slash + 1) : rest;
  if (!explicitHost && !repository.includes("/")) repository = `library/${repository}`;
  if (host === "" || !isRepositoryName(repository)) throw ociInvalidError("image reference", reference, hint);
  return {
    registry: registryLocation(`${scheme}${host}`),
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** `host/repo[:tag][@digest]`, the form the Go tool writes into `imageReference`. */
export function formatImageReference(ref: ImageReference): string {
  return `${ref.registry.host}/${ref.repository}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
}
