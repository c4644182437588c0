// blobTransformer for OCIRegistry/v1 as a transfer's target: how a blob copied into a registry is stored.
// An OCI artifact (an artifact set, from an image copied by value or a local blob holding one) is pushed
// into the registry itself, as the Go tool's OCI upload handler does (ocm V1
// `blobhandler/handlers/oci/ocirepo`), at `<base>/<subPath>/<referenceName repository>:<tag>`; without a
// referenceName the component's name is the repository and the manifest digest the only reference. Any
// other blob stays a local blob.
import type { BlobTransformer } from "../../core/index.js";
import { isArtifactSetMediaType } from "../../sdk/oci-layout/index.js";

type Spec = { type: string; [key: string]: unknown };

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

/** Artifact sets become `ociArtifact` accesses in the target registry; other blobs stay local blobs. */
export const ociBlobPlacement: BlobTransformer = {
  placeBlob({ target, component, mediaType, referenceName }) {
    if (!isArtifactSetMediaType(mediaType) || typeof target["baseUrl"] !== "string") {
      return Promise.resolve({ access: null });
    }
    const imageReference = imageTargetReference(target, referenceName, component);
    return Promise.resolve({ access: { type: "ociArtifact", imageReference } });
  },
};
