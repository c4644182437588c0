// The local blobs of a descriptor as manifest layers, the way OCM Go V1 lays them out
// (genericocireg/componentversion.go): one layer per distinct blob, media type from the access, annotated
// `software.ocm.artifact` with every {kind, identity} that points at it.
import { stat } from "node:fs/promises";
import {
  OcmError,
  elementIdentity,
  type ComponentDescriptor,
  type IdentityElement,
} from "../../core/index.js";
import { blobPath, sha256Hex } from "./blob-store.js";
import { isLocalBlobAccess } from "../../sdk/local-blob-resources.js";
import { invalidError } from "./ctf-errors.js";

export { isLocalBlobAccess };

/** An OCI content descriptor. */
export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

type Element = IdentityElement & { access?: { type: string; [key: string]: unknown } | null };

/** The `sha256:<hex>` digest a localReference names (`sha256:<hex>` or the archive form `sha256.<hex>`). */
export function localReferenceDigest(localReference: string): string | undefined {
  const hex = sha256Hex(localReference);
  return hex === undefined ? undefined : `sha256:${hex}`;
}

function sortedIdentity(identity: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(identity).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A distinct local blob of a descriptor: its digest, media type and the `software.ocm.artifact` annotation. */
export interface LocalBlobGroup {
  digest: string;
  mediaType: string;
  annotations: Record<string, string>;
}

/**
 * The distinct local blobs of the descriptor in element order (resources, then sources), each with every
 * {kind, identity} that points at it. Pure: sizes are looked up by the storage that holds the blobs.
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
        throw invalidError(
          where,
          `${kind} ${element.name}: localReference ${JSON.stringify(access.localReference)} is not a sha256 digest`,
        );
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

/**
 * One layer per distinct local blob of the descriptor, in element order (resources, then sources). Throws
 * OCM_REPOSITORY_NOT_FOUND when a referenced blob was not added first.
 */
export async function localBlobLayers(
  root: string,
  where: string,
  cd: ComponentDescriptor,
): Promise<OciDescriptor[]> {
  const result: OciDescriptor[] = [];
  for (const layer of localBlobGroups(where, cd)) {
    const digest = layer.digest;
    const size = await stat(blobPath(root, digest)).then(
      (s) => s.size,
      () => {
        throw new OcmError({
          code: "OCM_REPOSITORY_NOT_FOUND",
          message: `CTF ${where}: local blob ${digest} referenced by ${cd.component.name}:${cd.component.version} is not stored`,
          hint: "Add every local blob with addLocalBlob before adding the component version that references it.",
          details: { path: where, digest },
        });
      },
    );
    result.push({ mediaType: layer.mediaType, digest, size, annotations: layer.annotations });
  }
  return result;
}
