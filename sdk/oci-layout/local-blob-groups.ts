// The local blobs of a descriptor as manifest layers, the way OCM Go V1 lays them out
// (genericocireg/componentversion.go): one layer per distinct blob, media type from the access, annotated
// `software.ocm.artifact` with every {kind, identity} that points at it. Pure: the storage that holds the
// blobs adds their sizes.
import { OcmError } from "../../core/errors.js";
import { elementIdentity, type IdentityElement } from "../../core/model/identity.js";
import type { ComponentDescriptor } from "../../core/model/schema-v2.js";
import { isLocalBlobAccess } from "../local-blob-resources.js";

/** An OCI content descriptor. */
export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

/** A distinct local blob of a descriptor: its digest, media type and the `software.ocm.artifact` annotation. */
export interface LocalBlobGroup {
  digest: string;
  mediaType: string;
  annotations: Record<string, string>;
}

type Element = IdentityElement & { access?: { type: string; [key: string]: unknown } | null };

const SHA256 = /^sha256[:.]([a-f0-9]{64})$/;

/** The `sha256:<hex>` digest a localReference names (`sha256:<hex>` or the archive form `sha256.<hex>`). */
export function localReferenceDigest(localReference: string): string | undefined {
  const hex = SHA256.exec(localReference)?.[1];
  return hex === undefined ? undefined : `sha256:${hex}`;
}

function sortedIdentity(identity: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(identity).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The distinct local blobs of the descriptor in element order (resources, then sources), each with every
 * {kind, identity} that points at it. `where` names the repository in errors.
 */
export function localBlobGroups(where: string, cd: ComponentDescriptor): LocalBlobGroup[] {
  const layers = new Map<
    string,
    { mediaType: string; artifacts: { kind: string; identity: Record<string, string> }[] }
  >();
  const groups: [string, readonly Element[]][] = [
    ["resource", (cd.component.resources ?? []) as Element[]],
    ["source", (cd.component.sources ?? []) as Element[]],
  ];
  for (const [kind, elements] of groups) {
    for (const element of elements) {
      const access = element.access;
      if (!isLocalBlobAccess(access)) continue;
      const digest = localReferenceDigest(String(access.localReference));
      if (digest === undefined) {
        throw new OcmError({
          code: "OCM_REPOSITORY_INVALID",
          message: `${where}: ${kind} ${element.name}: localReference ${JSON.stringify(access.localReference)} is not a sha256 digest`,
          hint: "A localBlob access names its blob as sha256:<64 hex digits>.",
          details: { where },
        });
      }
      const identity = sortedIdentity(elementIdentity(element, elements));
      const mediaType =
        typeof access["mediaType"] === "string" ? access["mediaType"] : "application/octet-stream";
      const layer = layers.get(digest) ?? { mediaType, artifacts: [] };
      layer.artifacts.push({ kind, identity });
      layers.set(digest, layer);
    }
  }
  return [...layers].map(([digest, layer]) => ({
    digest,
    mediaType: layer.mediaType,
    annotations: { "software.ocm.artifact": JSON.stringify(layer.artifacts) },
  }));
}
