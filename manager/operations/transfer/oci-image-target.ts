// Where a transfer with `copyResources` puts an OCI artifact when the target is an OCI registry: into the
// registry itself, as the Go tool's OCI upload handler does (ocm V1 `blobhandler/handlers/oci/ocirepo`,
// notes/ocm-formats.md §3), at `<target base>/<subPath>/<referenceName repository>:<tag>`. Without a
// referenceName the component's name is the repository and the manifest digest the only reference.

import { canonicalAccessType } from "../../../core/model/index.js";

type Spec = { type: string; [key: string]: unknown };

// The OCIRegistry/v1 repository type and its aliases (plugins/oci/plugin.ts).
const OCI_REPOSITORY_TYPES = new Set([
  "OCIRegistry/v1",
  "OCIRegistry",
  "OCIRepository/v1",
  "OCIRepository",
  "OCI/v1",
  "OCI",
  "oci",
]);

/** True for a repository spec of an OCI registry. */
export function isOciRegistry(spec: Spec): boolean {
  return OCI_REPOSITORY_TYPES.has(spec.type) && typeof spec["baseUrl"] === "string";
}

/**
 * True for the media type of an artifact set (an OCI or Docker manifest or index as `+tar` or
 * `+tar+gzip`), the form an image copied by value takes as a local blob (Go `artdesc.IsOCIMediaType`).
 */
export function isArtifactSetMediaType(mediaType: string | undefined): boolean {
  return (
    mediaType !== undefined &&
    /^application\/vnd\.(oci|docker)\./.test(mediaType) &&
    /\+tar(\+gzip)?$/.test(mediaType)
  );
}

/**
 * The image reference to push an artifact to: the registry of `target` (with its scheme when the base URL
 * names one), the target's path and sub path, then the repository of `referenceName` (`acme/app:1.0`), or
 * the component name without one, and the tag of `referenceName` if it has one. A digest in
 * `referenceName` is dropped: the pushed manifest's digest is appended to the stored reference.
 */
export function imageTargetReference(
  target: Spec,
  referenceName: string | undefined,
  component: string,
): string {
  const baseUrl = String(target["baseUrl"]);
  const scheme = /^https?:\/\//i.exec(baseUrl)?.[0] ?? "";
  const [host = "", ...basePath] = baseUrl.slice(scheme.length).split("/");
  const subPath = typeof target["subPath"] === "string" ? target["subPath"] : "";
  const hint = referenceName?.replace(/@.*$/, "") ?? "";
  const colon = hint.lastIndexOf(":");
  const hasTag = colon > hint.lastIndexOf("/");
  const repository = hint === "" ? component : hasTag ? hint.slice(0, colon) : hint;
  const path = [...basePath, subPath, repository]
    .map((part) => part.replace(/^\/+|\/+$/g, ""))
    .filter((part) => part !== "")
    .join("/");
  return `${scheme}${host}/${path}${hasTag ? hint.slice(colon) : ""}`;
}

/**
 * The `referenceName` the Go tool stores for an OCI image copied into a local blob: the image reference
 * without its registry host (`ghcr.io/acme/nginx:1.25.0` → `acme/nginx:1.25.0`).
 */
export function referenceNameOf(access: Spec): { referenceName?: string } {
  if (canonicalAccessType(access.type) !== "OCIImage/v1") return {};
  const reference = access["imageReference"];
  if (typeof reference !== "string") return {};
  const slash = reference.indexOf("/");
  const first = slash < 0 ? "" : reference.slice(0, slash);
  const hasHost = first.includes(".") || first.includes(":") || first === "localhost";
  return { referenceName: hasHost ? reference.slice(slash + 1) : reference };
}
