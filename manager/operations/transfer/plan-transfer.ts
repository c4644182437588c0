// Reads what the planner (core/transfer/plan-transfer.ts) asks for, the source's descriptors and the
// target's copies of them, until it has a plan. How each blob is stored is the target's plugin's decision,
// made when it is copied (copy-blob.ts). Nothing is written here.
import type { ComponentVersionRepository, TypedSpec, WireDescriptor } from "../../../core/index.js";
import {
  planTransfer as planSteps,
  versionKey,
  type BlobStep,
  type KnownVersion,
  type NeededVersion,
  type VersionKey,
  type VersionStep,
} from "../../../core/transfer/plan-transfer.js";
import { referenceError } from "../get-component-versions.js";
import { describeRepository, type ComponentVersionLookup } from "../lookup-component-version.js";
import { runBounded } from "./run-bounded.js";
import { isNotFound } from "./transfer-errors.js";

/** A blob step as the copy sees it. */
export type PlannedBlob = BlobStep;

/** A version step as the copy sees it. */
export interface PlannedVersion extends VersionStep {
  blobs: PlannedBlob[];
}

/** What planning reads from, and how the plan is to be made. */
export interface PlanContext {
  sourceRepo: ComponentVersionRepository;
  targetRepo: ComponentVersionRepository;
  source: TypedSpec;
  target: TypedSpec;
  recursive: boolean;
  copyResources: boolean;
  overwrite: boolean;
  /** Referenced versions are looked up here (the source first); roots always come from the source. */
  lookup: ComponentVersionLookup;
  stopOnExisting: boolean;
  enforce: boolean;
  /** Versions read at the same time. */
  concurrency: number;
  signal?: AbortSignal | undefined;
}

/** Plans the transfer of `roots` (with `recursive`, what they reference first). */
export async function planTransfer(
  context: PlanContext,
  roots: readonly VersionKey[],
): Promise<PlannedVersion[]> {
  const known = new Map<string, KnownVersion>();
  const input = {
    roots,
    known,
    targetName: describeRepository(context.target),
    recursive: context.recursive,
    copyResources: context.copyResources,
    overwrite: context.overwrite,
    stopOnExisting: context.stopOnExisting,
    enforce: context.enforce,
  };
  for (;;) {
    const result = planSteps(input);
    if (result.done) return result.steps;
    const read = await runBounded(result.needs, context.concurrency, context.signal, (need) =>
      readVersion(context, need).then(
        (version) => ({ version }),
        (error: unknown) => ({ error }),
      ),
    );
    // The first failure in the planner's order, whatever finished first.
    for (const outcome of read) if ("error" in outcome) throw outcome.error;
    read.forEach((outcome, i) => {
      const need = result.needs[i] as NeededVersion;
      if ("version" in outcome) known.set(versionKey(need.component, need.version), outcome.version);
    });
  }
}

/** Reads a version the planner needs: from the source (a root) or the lookup, and the target's copy. */
async function readVersion(context: PlanContext, need: NeededVersion): Promise<KnownVersion> {
  const { component, version, referrer } = need;
  const options = context.signal ? { signal: context.signal } : {};
  const located =
    referrer === undefined
      ? {
          ...(await context.sourceRepo.getComponentVersion(
            { repository: context.source, component, version },
            options,
          )),
          repository: context.source,
        }
      : await context.lookup.find(component, version, context.signal).catch((error: unknown) => {
          throw referenceError(error, {
            component,
            version,
            referrer,
            ...(need.referenceName === undefined ? {} : { name: need.referenceName }),
          });
        });
  const existing = await context.targetRepo
    .getComponentVersion({ repository: context.target, component, version }, options)
    .then(
      (found): WireDescriptor | undefined => found.descriptor,
      (error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      },
    );
  const from = located.repository === context.source ? undefined : describeRepository(located.repository);
  return {
    descriptor: located.descriptor,
    source: located.repository,
    ...(from === undefined ? {} : { from }),
    existing,
  };
}
