// The consumer identity of a repository or access spec: what credentials are looked up by. OCM names
// an OCI registry by `{type: OCIRegistry, hostname, port?, pathprefix?}`.
import type { Identity, TypedSpec } from "../../../core/index.js";
import { parseImageReference } from "./parse-image-reference.js";

/** The consumer type of OCI registries. */
export const OCI_REGISTRY_CONSUMER = "OCIRegistry";

const REPOSITORY_TYPES = new Set(["ociregistry", "oci", "ocirepository"]);
const IMAGE_ACCESS_TYPES = new Set(["ociartifact", "ociimage", "ociregistry"]);
const BLOB_ACCESS_TYPES = new Set(["ociblob"]);

/**
 * The consumer identity of `spec`, or undefined for specs that need no credentials (CTF, local blobs)
 * or that this function does not know. Supported: OCI repositories (`OCIRegistry/v1` with `baseUrl`
 * and `subPath`), `ociArtifact`/`OCIImage/v1` accesses (`imageReference`) and `ociBlob` (`ref`).
 */
export function consumerIdentityOf(spec: TypedSpec): Identity | undefined {
  const kind = spec.type.replace(/\/v\d+\w*$/, "").toLowerCase();
  const field = (name: string): string | undefined => {
    const value = spec[name];
    return typeof value === "string" && value ? value : undefined;
  };
  const baseUrl = field("baseUrl");
  if (REPOSITORY_TYPES.has(kind) && baseUrl) return repositoryIdentity(baseUrl, field("subPath"));
  const imageReference = field("imageReference");
  if (IMAGE_ACCESS_TYPES.has(kind) && imageReference) return imageIdentity(imageReference);
  const ref = field("ref");
  if (BLOB_ACCESS_TYPES.has(kind) && ref) return imageIdentity(ref);
  return undefined;
}

function repositoryIdentity(baseUrl: string, subPath: string | undefined): Identity | undefined {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(baseUrl) ? baseUrl : `https://${baseUrl}`);
  } catch {
    return undefined;
  }
  const path = [url.pathname, subPath ?? ""]
    .map((part) => part.replace(/^\/+|\/+$/g, ""))
    .filter(Boolean)
    .join("/");
  return withPath(
    { type: OCI_REGISTRY_CONSUMER, hostname: url.hostname.toLowerCase(), port: url.port },
    path,
  );
}

function imageIdentity(reference: string): Identity {
  const location = parseImageReference(reference);
  return withPath(
    { type: OCI_REGISTRY_CONSUMER, hostname: location.hostname, port: location.port ?? "" },
    location.path,
  );
}

function withPath(base: { type: string; hostname: string; port: string }, path: string): Identity {
  const identity: Identity = { type: base.type, hostname: base.hostname };
  if (base.port) identity["port"] = base.port;
  if (path) identity["pathprefix"] = path;
  return identity;
}
