// Decides, before anything is written, what a transfer does: which component versions (referenced ones
// first, found in the source or the lookup repositories), whether the target already holds each
// (identical → skip, different → overwrite or fail, `enforce` → copy again), and which blobs each needs.
import type { ComponentVersionRepository, TypedSpec, WireDescriptor } from "../../../core/index.js";
import {
  canonicalAccessType,
  canonicalJson,
  digestDescriptor,
  isNoneAccess,
  parseDescriptor,
} from "../../../core/model/index.js";
import {
  imageTargetReference,
  isArtifactSetMediaType,
  isOciRegistry,
  referenceNameOf,
} from "./oci-image-target.js";
import { isNotFound, targetDiffersError } from "./transfer-errors.js";
import { refuseDuplicateElements } from "../../../core/model/index.js";
import { referenceError } from "../get-component-versions.js";
import type { ComponentVersionLookup, LocatedVersion } from "../lookup-component-version.js";

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
  /** The repository the version is read from: the source, or a lookup repository for a reference. */
  source: TypedSpec;
  sourceRepo: ComponentVersionRepository;
}

/** A component version to transfer, named by the caller. */
export interface RootVersion {
  component: string;
  version: string;
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
  /** Referenced versions are looked up here (the source first); roots always come from the source. */
  lookup: ComponentVersionLookup;
  /** Do not descend below a version the target already holds. */
  stopOnExisting: boolean;
  /** Copy a version the target holds again, as if it were not there (its descriptor replaced). */
  enforce: boolean;
  signal?: AbortSignal | undefined;
}

type Access = { type: string; [key: string]: unknown };
type Element = { name?: unknown; access?: Access | null };

const isLocalBlob = (access: Access) => canonicalAccessType(access.type) === "LocalBlob/v1";

/** Plans the given root versions and, with `recursive`, what they reference (first). */
export async function planTransfer(
  context: PlanContext,
  roots: readonly RootVersion[],
): Promise<PlannedVersion[]> {
  const planned: PlannedVersion[] = [];
  const visited = new Set<string>();
  const options = context.signal ? { signal: context.signal } : {};
  const visit = async (name: string, version: string, referrer?: string, refName?: string): Promise<void> => {
    const key = `${name}:${version}`;
    if (visited.has(key)) return;
    visited.add(key);
    const located: LocatedVersion =
      referrer === undefined
        ? {
            ...(await context.sourceRepo.getComponentVersion(
              { repository: context.source, component: name, version },
              options,
            )),
            repository: context.source,
            repo: context.sourceRepo,
          }
        : await context.lookup.find(name, version, context.signal).catch((error: unknown) => {
            throw referenceError(error, {
              component: name,
              version,
              referrer,
              ...(refName === undefined ? {} : { name: refName }),
            });
          });
    const { descriptor } = located;
    // Refused here, before any blob is copied, rather than by the target's add after the copy.
    refuseDuplicateElements(descriptor);
    const existing = await targetVersion(context, name, version);
    // --stop-on-existing: what the target holds is taken to be complete below it (the Go tool's -E).
    if (context.recursive && !(context.stopOnExisting && existing !== undefined)) {
      const refs = (descriptor.component["componentReferences"] ?? []) as {
        componentName: string;
        version: string;
        name?: string;
      }[];
      for (const ref of refs) await visit(ref.componentName, ref.version, key, ref.name);
    }
    planned.push(planVersion(context, located, existing));
  };
  for (const root of roots) await visit(root.component, root.version);
  return planned;
}

/** The target's descriptor of a version, or undefined when it holds none. */
async function targetVersion(
  context: PlanContext,
  component: string,
  version: string,
): Promise<WireDescriptor | undefined> {
  return context.targetRepo
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
}

function planVersion(
  context: PlanContext,
  located: LocatedVersion,
  existing: WireDescriptor | undefined,
): PlannedVersion {
  const { descriptor } = located;
  const { name: component, version } = descriptor.component;
  let action: PlannedVersion["action"] = "copy";
  if (existing !== undefined) {
    // --enforce: as if the target did not hold it (the Go tool's meaning), so it is written again.
    if (context.enforce) action = "overwrite";
    else if (sameContent(descriptor, existing)) action = "skip";
    else if (context.overwrite) action = "overwrite";
    else throw targetDiffersError(context.targetName, component, version);
  }
  const present = new Set(existing === undefined || context.enforce ? [] : localReferences(existing));
  const blobs = blobsOf(descriptor, context.copyResources);
  if (context.copyResources && isOciRegistry(context.target)) {
    for (const blob of blobs) addImageTarget(blob, descriptor, context.target);
  }
  for (const blob of blobs) {
    const local = blob.via === "localBlob" && blob.image === undefined;
    if (action === "skip" || (local && present.has(blob.source))) blob.action = "skip";
  }
  return {
    component,
    version,
    action,
    descriptor,
    blobs,
    source: located.repository,
    sourceRepo: located.repo,
  };
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
