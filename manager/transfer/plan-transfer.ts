// Decides, before anything is written, what a transfer does: which component versions (referenced ones
// first), whether the target already holds each (identical → skip, different → overwrite or fail), and
// which blobs each needs copied.
import type { ComponentVersionRepository, TypedSpec, WireDescriptor } from "../../core/index.js";
import {
  canonicalAccessType,
  canonicalJson,
  digestDescriptor,
  isNoneAccess,
  parseDescriptor,
} from "../../core/model/index.js";
import {
  imageTargetReference,
  isArtifactSetMediaType,
  isOciRegistry,
  referenceNameOf,
} from "./oci-image-target.js";
import { isNotFound, targetDiffersError } from "./transfer-errors.js";
import { refuseDuplicateElements } from "../call/check-descriptor-identity.js";

/** A blob to bring over: one local blob (maybe shared by several elements) or one resource copied by value. */
export interface PlannedBlob {
  /** `localBlob`: read with getLocalBlob; `resource`: read through the access type's resourceRepository. */
  via: "localBlob" | "resource";
  /** The local reference, or the access type of a resource copied by value. */
  source: string;
  mediaType?: string;
  /** Where the blob's access sits: `["resources", 2]`, several when elements share a local blob. */
  slots: { list: "resources" | "sources"; index: number; label: string }[];
  /**
   * With `copyResources` into an OCI registry, an OCI artifact is pushed to this image reference of the
   * target registry (see oci-image-target.ts) and its access becomes `ociArtifact`; else it is a local blob.
   */
  image?: string;
  /** `skip`: the target's current descriptor of this version references it already. */
  action: "copy" | "skip";
}

/** One component version of the plan. */
export interface PlannedVersion {
  component: string;
  version: string;
  action: "copy" | "skip" | "overwrite";
  descriptor: WireDescriptor;
  blobs: PlannedBlob[];
}

/** What the planner needs. */
export interface PlanContext {
  sourceRepo: ComponentVersionRepository;
  targetRepo: ComponentVersionRepository;
  source: TypedSpec;
  target: TypedSpec;
  targetName: string;
  recursive: boolean;
  copyResources: boolean;
  overwrite: boolean;
  signal?: AbortSignal | undefined;
}

type Access = { type: string; [key: string]: unknown };
type Element = { name?: unknown; access?: Access | null };

const isLocalBlob = (access: Access) => canonicalAccessType(access.type) === "LocalBlob/v1";

/** Plans the given root versions of `component` and, with `recursive`, what they reference (first). */
export async function planTransfer(
  context: PlanContext,
  component: string,
  versions: readonly string[],
): Promise<PlannedVersion[]> {
  const planned: PlannedVersion[] = [];
  const visited = new Set<string>();
  const visit = async (name: string, version: string): Promise<void> => {
    const key = `${name}:${version}`;
    if (visited.has(key)) return;
    visited.add(key);
    const options = context.signal ? { signal: context.signal } : {};
    const { descriptor } = await context.sourceRepo.getComponentVersion(
      { repository: context.source, component: name, version },
      options,
    );
    // Refused here, before any blob is copied, rather than by the target's add after the copy.
    refuseDuplicateElements(descriptor);
    if (context.recursive) {
      const refs = (descriptor.component["componentReferences"] ?? []) as {
        componentName: string;
        version: string;
      }[];
      for (const ref of refs) await visit(ref.componentName, ref.version);
    }
    planned.push(await planVersion(context, descriptor));
  };
  for (const version of versions) await visit(component, version);
  return planned;
}

async function planVersion(context: PlanContext, descriptor: WireDescriptor): Promise<PlannedVersion> {
  const { name: component, version } = descriptor.component;
  const existing = await context.targetRepo
    .getComponentVersion(
      { repository: context.target, component, version },
      context.signal ? { signal: context.signal } : {},
    )
    .then(
      (found) => found.descriptor,
      (error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      },
    );
  let action: PlannedVersion["action"] = "copy";
  if (existing !== undefined) {
    if (sameContent(descriptor, existing)) action = "skip";
    else if (context.overwrite) action = "overwrite";
    else throw targetDiffersError(context.targetName, component, version);
  }
  const present = new Set(existing === undefined ? [] : localReferences(existing));
  const blobs = blobsOf(descriptor, context.copyResources);
  if (context.copyResources && isOciRegistry(context.target)) {
    for (const blob of blobs) addImageTarget(blob, descriptor, context.target);
  }
  for (const blob of blobs) {
    const local = blob.via === "localBlob" && blob.image === undefined;
    if (action === "skip" || (local && present.has(blob.source))) blob.action = "skip";
  }
  return { component, version, action, descriptor, blobs };
}

/**
 * Same content: equal descriptor digests (jsonNormalisation/v3, so accesses and repository contexts do not
 * count: a resource copied by value is the same resource) and the same signatures.
 */
export function sameContent(a: WireDescriptor, b: WireDescriptor): boolean {
  const pa = parseDescriptor(JSON.stringify(a), { source: "source descriptor" });
  const pb = parseDescriptor(JSON.stringify(b), { source: "target descriptor" });
  return (
    digestDescriptor(pa).value === digestDescriptor(pb).value &&
    canonicalJson(pa.signatures ?? []) === canonicalJson(pb.signatures ?? [])
  );
}

function elementsOf(descriptor: WireDescriptor, list: "resources" | "sources"): Element[] {
  return (descriptor.component[list] ?? []) as Element[];
}

function localReferences(descriptor: WireDescriptor): string[] {
  return (["resources", "sources"] as const).flatMap((list) =>
    elementsOf(descriptor, list).flatMap((e) =>
      e.access && isLocalBlob(e.access) ? [String(e.access["localReference"])] : [],
    ),
  );
}

/** Marks a blob holding an OCI artifact (an image read by value, or an artifact set blob) for a push. */
function addImageTarget(blob: PlannedBlob, descriptor: WireDescriptor, target: TypedSpec): void {
  const slot = blob.slots[0];
  if (slot?.list !== "resources") return;
  const access = elementsOf(descriptor, "resources")[slot.index]?.access;
  if (!access) return;
  let referenceName: string | undefined;
  if (blob.via === "resource") {
    if (canonicalAccessType(access.type) !== "OCIImage/v1") return;
    referenceName = referenceNameOf(access).referenceName;
  } else {
    if (!isArtifactSetMediaType(blob.mediaType)) return;
    const hint = access["referenceName"];
    referenceName = typeof hint === "string" && hint !== "" ? hint : undefined;
  }
  blob.image = imageTargetReference(target, referenceName, descriptor.component.name);
}

/** The blobs of a descriptor: local blobs once per reference, external resources when copied by value. */
function blobsOf(descriptor: WireDescriptor, copyResources: boolean): PlannedBlob[] {
  const byReference = new Map<string, PlannedBlob>();
  const blobs: PlannedBlob[] = [];
  for (const list of ["resources", "sources"] as const) {
    elementsOf(descriptor, list).forEach((element, index) => {
      const access = element.access;
      if (!access || isNoneAccess(access)) return;
      const slot = {
        list,
        index,
        label: `${list === "resources" ? "resource" : "source"} ${String(element.name)}`,
      };
      if (isLocalBlob(access)) {
        const source = String(access["localReference"]);
        const known = byReference.get(source);
        if (known) return void known.slots.push(slot);
        const mediaType = access["mediaType"];
        const blob: PlannedBlob = {
          via: "localBlob",
          source,
          ...(typeof mediaType === "string" ? { mediaType } : {}),
          slots: [slot],
          action: "copy",
        };
        byReference.set(source, blob);
        blobs.push(blob);
      } else if (copyResources && list === "resources") {
        blobs.push({ via: "resource", source: access.type, slots: [slot], action: "copy" });
      }
    });
  }
  return blobs;
}
