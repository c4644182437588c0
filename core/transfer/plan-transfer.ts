// Decides what a transfer does, from what has been read of the source and the target, without reading or
// writing anything itself: which component versions in which order (referenced ones first), whether the
// target's copy of each is kept, replaced or refused, and which blobs each needs. The caller reads what the
// planner asks for and asks again (see `planTransfer`); the plan it ends with is plain data, applied step by
// step and printed by `ocm transfer --dry-run` (adr/0004-transfer-order.md).
import type { TypedSpec, WireDescriptor } from "../protocol/common.js";
import { canonicalAccessType, isNoneAccess } from "../model/access-types.js";
import { canonicalJson } from "../model/canonical-json.js";
import { digestDescriptor } from "../model/normalise.js";
import { parseDescriptor } from "../model/parse-descriptor.js";
import { refuseDuplicateElements } from "../model/refuse-duplicates.js";
import { targetDiffersError } from "./transfer-plan-errors.js";

/** A component version by name. */
export interface VersionKey {
  component: string;
  version: string;
}

/** What has been read of one component version. */
export interface KnownVersion {
  /** Its descriptor, as the source (or a lookup repository) holds it. */
  descriptor: WireDescriptor;
  /** The repository it is read from. */
  source: TypedSpec;
  /** That repository for people, when it is a lookup repository rather than the source. */
  from?: string;
  /** The target's descriptor of the same version, or undefined when the target holds none. */
  existing?: WireDescriptor | undefined;
}

/** A version the planner needs read: a root (from the source), or one `referrer` references. */
export interface NeededVersion extends VersionKey {
  referrer?: string;
  /** The name of the reference in the referrer's descriptor. */
  referenceName?: string;
}

/** Where a blob's access sits in its descriptor, e.g. `resources[2]`, labelled `resource readme`. */
export interface BlobSlot {
  list: "resources" | "sources";
  index: number;
  label: string;
}

/** One blob to bring over: a local blob (perhaps shared by several elements) or a resource copied by value. */
export interface BlobStep {
  /** `localBlob`: read from the source's local blobs; `resource`: read through the access type's plugin. */
  via: "localBlob" | "resource";
  /** The local reference, or the access type of a resource copied by value. */
  source: string;
  mediaType?: string;
  /** Every element whose access is this blob. */
  slots: BlobSlot[];
  /** `skip`: the target's descriptor of this version references it already. */
  action: "copy" | "skip";
}

/** One component version of the plan, with all its applier needs. */
export interface VersionStep extends VersionKey {
  action: "copy" | "skip" | "overwrite";
  descriptor: WireDescriptor;
  /** The repository the descriptor and its blobs are read from. */
  source: TypedSpec;
  /** That repository for people, when it is a lookup repository rather than the source. */
  from?: string;
  blobs: BlobStep[];
}

/** What the planner is given. */
export interface TransferPlanInput {
  /** The versions named by the caller; they are read from the source. */
  roots: readonly VersionKey[];
  /** What has been read so far, by `versionKey`. */
  known: ReadonlyMap<string, KnownVersion>;
  /** The target for people, for errors. */
  targetName: string;
  /** Transfer what the versions reference, first. */
  recursive: boolean;
  /** Copy resources with external accesses by value. */
  copyResources: boolean;
  /** Replace a version the target holds with other content (else that is an error). */
  overwrite: boolean;
  /** Do not descend below a version the target holds (the Go tool's `--stop-on-existing`). */
  stopOnExisting: boolean;
  /** Write a version the target holds again, as if it did not hold it (the Go tool's `--enforce`). */
  enforce: boolean;
}

/** Either the versions still to be read, or the finished plan in transfer order. */
export type TransferPlanResult =
  { done: false; needs: NeededVersion[] } | { done: true; steps: VersionStep[] };

/** The key of a version in `TransferPlanInput.known`. */
export const versionKey = (component: string, version: string): string => `${component}:${version}`;

type Access = { type: string; [key: string]: unknown };
type Element = { name?: unknown; access?: Access | null };
type Reference = { componentName: string; version: string; name?: string };

const isLocalBlob = (access: Access) => canonicalAccessType(access.type) === "LocalBlob/v1";

/**
 * Plans a transfer from what is known. While a version it must visit has not been read, it returns the
 * versions to read (all it can see at this depth); given those, it goes one level further. Once everything
 * is known, it returns the steps: every version after the versions it references, each once. Throws
 * OCM_TRANSFER_TARGET_DIFFERS when the target holds a version with other content and neither `overwrite`
 * nor `enforce` is set, and OCM_DESCRIPTOR_INVALID for a descriptor two of whose elements share an identity.
 */
export function planTransfer(input: TransferPlanInput): TransferPlanResult {
  const order: KnownVersion[] = [];
  const needs: NeededVersion[] = [];
  const visited = new Set<string>();
  const visit = (need: NeededVersion): void => {
    const key = versionKey(need.component, need.version);
    if (visited.has(key)) return;
    visited.add(key);
    const known = input.known.get(key);
    if (known === undefined) return void needs.push(need);
    // --stop-on-existing: what the target holds is taken to be complete below it.
    if (input.recursive && !(input.stopOnExisting && known.existing !== undefined)) {
      const refs = (known.descriptor.component["componentReferences"] ?? []) as Reference[];
      for (const ref of refs) {
        visit({
          component: ref.componentName,
          version: ref.version,
          referrer: key,
          ...(ref.name === undefined ? {} : { referenceName: ref.name }),
        });
      }
    }
    order.push(known);
  };
  for (const root of input.roots) visit(root);
  if (needs.length > 0) return { done: false, needs };
  return { done: true, steps: order.map((known) => planVersion(input, known)) };
}

function planVersion(input: TransferPlanInput, known: KnownVersion): VersionStep {
  const { descriptor, existing } = known;
  refuseDuplicateElements(descriptor);
  const { name: component, version } = descriptor.component;
  let action: VersionStep["action"] = "copy";
  if (existing !== undefined) {
    // --enforce: as if the target did not hold it, so it is written again.
    if (input.enforce) action = "overwrite";
    else if (sameContent(descriptor, existing)) action = "skip";
    else if (input.overwrite) action = "overwrite";
    else throw targetDiffersError(input.targetName, component, version);
  }
  const present = new Set(existing === undefined || input.enforce ? [] : localReferences(existing));
  const blobs = blobsOf(descriptor, input.copyResources);
  for (const blob of blobs) {
    if (action === "skip" || (blob.via === "localBlob" && present.has(blob.source))) blob.action = "skip";
  }
  return {
    component,
    version,
    action,
    descriptor,
    source: known.source,
    ...(known.from === undefined ? {} : { from: known.from }),
    blobs,
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

/** The blobs of a descriptor: local blobs once per reference, external resources when copied by value. */
function blobsOf(descriptor: WireDescriptor, copyResources: boolean): BlobStep[] {
  const byReference = new Map<string, BlobStep>();
  const blobs: BlobStep[] = [];
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
        const blob: BlobStep = {
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
