// `ocm transfer`: copies component versions with their blobs from one repository to another. Per version
// all blobs land before the descriptor (addComponentVersion last), so a transfer killed at any point leaves
// a target whose index references no missing blob, and running it again completes it (idempotent by digest).
import {
  OcmError,
  isOcmError,
  type ComponentVersionRepository,
  type WireDescriptor,
} from "../../../core/index.js";
import { listComponents } from "../list-components.js";
import { createComponentVersionLookup, describeRepository } from "../lookup-component-version.js";
import type { CapabilityProvider } from "../../../core/index.js";
import { copyBlob, type CopyContext } from "./copy-blob.js";
import type { VersionKey } from "../../../core/transfer/plan-transfer.js";
import { parseConcurrency } from "../../../core/transfer/parse-concurrency.js";
import { planTransfer, type PlannedBlob, type PlannedVersion } from "./plan-transfer.js";
import { runBounded } from "./run-bounded.js";
import { selectVersions, type VersionSelection } from "./select-versions.js";
import { elementError } from "./transfer-errors.js";
import type {
  TransferOptions,
  TransferProgress,
  TransferSummary,
  TransferredBlob,
  TransferredVersion,
} from "./transfer-types.js";

export type * from "./transfer-types.js";

const VERSION_ACTIONS = { copy: "copied", skip: "skipped", overwrite: "overwritten" } as const;

/**
 * Transfers `component` (one version, or all selected by `latest`/`semver`; without a component, every
 * component of the source) from `source` to `target`, with `recursive` the versions they reference first. Returns what was done; with `dryRun`, what would be done.
 * Throws OCM_TRANSFER_TARGET_DIFFERS before writing anything when the target holds a planned version with
 * other content and `overwrite` is not set.
 */
export async function transferComponentVersions(
  manager: CapabilityProvider,
  options: TransferOptions,
): Promise<TransferSummary> {
  const concurrency = parseConcurrency(options.concurrency);
  const sourceRepo = await manager.getPlugin(options.source.type, "componentVersionRepository");
  const targetRepo = await manager.getPlugin(options.target.type, "componentVersionRepository");
  const roots = await selectRoots(manager, sourceRepo, options);
  const lookup = await createComponentVersionLookup(manager, [options.source, ...(options.lookup ?? [])]);
  const plan = await planTransfer(
    {
      sourceRepo,
      targetRepo,
      source: options.source,
      target: options.target,
      recursive: options.recursive ?? false,
      copyResources: options.copyResources ?? false,
      overwrite: options.overwrite ?? false,
      lookup,
      stopOnExisting: options.stopOnExisting ?? false,
      enforce: options.enforce ?? false,
      concurrency,
      signal: options.signal,
    },
    roots,
  );
  const summary: TransferSummary = {
    dryRun: options.dryRun ?? false,
    versions: [],
    blobsCopied: 0,
    blobsSkipped: 0,
    bytes: 0,
  };
  const overall = {
    versions: 0,
    blobs: 0,
    bytes: 0,
    plannedVersions: plan.length,
    plannedBlobs: plan.reduce((n, v) => n + v.blobs.length, 0),
  };
  const emit = (event: Omit<TransferProgress, "overall">) =>
    options.onProgress?.({ ...event, overall: { ...overall } });
  // A step names the repository it reads from; lookup repositories are fetched once each.
  const readers = new Map<string, Promise<ComponentVersionRepository>>([
    [options.source.type, Promise.resolve(sourceRepo)],
  ]);
  const copyFrom = async (version: PlannedVersion): Promise<CopyContext> => {
    const type = version.source.type;
    if (!readers.has(type)) readers.set(type, manager.getPlugin(type, "componentVersionRepository"));
    return {
      manager,
      sourceRepo: await (readers.get(type) as Promise<ComponentVersionRepository>),
      targetRepo,
      source: version.source,
      target: options.target,
      copyResources: options.copyResources ?? false,
    };
  };

  for (const version of plan) {
    const { component } = version;
    emit({ kind: "version-start", component, version: version.version, bytes: 0 });
    const planned = options.dryRun || version.action === "skip";
    if (planned) {
      for (const blob of version.blobs) {
        overall.blobs++;
        const action = plannedResult(blob).action;
        emit({ kind: "blob-done", component, version: version.version, blob: blob.source, bytes: 0, action });
      }
    }
    const blobs = planned
      ? { results: version.blobs.map(plannedResult), accesses: [] }
      : await copyBlobs(await copyFrom(version), version, concurrency, options.signal, (event, delta) => {
          overall.bytes += delta;
          if (event.kind === "blob-done") overall.blobs++;
          emit({ component, version: version.version, ...event });
        });
    if (!planned) {
      await targetRepo.addComponentVersion(
        {
          repository: options.target,
          descriptor: rewriteAccesses(version, blobs.accesses),
          ...(version.action === "overwrite" ? { overwrite: true } : {}),
        },
        options.signal ? { signal: options.signal } : {},
      );
    }
    overall.versions++;
    const from = version.from;
    const result: TransferredVersion = {
      component,
      version: version.version,
      action: VERSION_ACTIONS[version.action],
      blobs: blobs.results,
      ...(from === undefined ? {} : { from }),
    };
    for (const blob of result.blobs) {
      if (blob.action === "copied") summary.blobsCopied++;
      else summary.blobsSkipped++;
      if (!options.dryRun && blob.action === "copied") summary.bytes += blob.size ?? 0;
    }
    summary.versions.push(result);
    if (!planned) {
      await options.events?.publish({
        type: "componentVersion.transferred",
        subject: { repository: options.target, component, version: version.version },
        data: { source: options.source, action: result.action },
      });
    }
    const bytes = result.blobs.reduce((n, b) => n + (b.action === "copied" ? (b.size ?? 0) : 0), 0);
    emit({
      kind: "version-done",
      component,
      version: version.version,
      bytes,
      action: result.action,
      ...(from === undefined ? {} : { from }),
    });
  }
  return summary;
}

interface CopiedBlobs {
  results: TransferredBlob[];
  /** The new access of each copied blob's slots, by blob index. */
  accesses: (Record<string, unknown> | undefined)[];
}

/** A blob event of one version, and the bytes it adds to the transfer's total. */
type BlobReport = (event: Omit<TransferProgress, "overall" | "component" | "version">, delta: number) => void;

function plannedResult(blob: PlannedBlob): TransferredBlob {
  return {
    elements: blob.slots.map((s) => s.label),
    source: blob.source,
    action: blob.action === "copy" ? "copied" : "skipped",
  };
}

/** Copies the blobs of one version, `concurrency` at a time. */
async function copyBlobs(
  context: CopyContext,
  version: PlannedVersion,
  concurrency: number,
  signal: AbortSignal | undefined,
  report: BlobReport,
): Promise<CopiedBlobs> {
  const outcomes = await runBounded(version.blobs, concurrency, signal, async (blob, inner) => {
    const elements = blob.slots.map((s) => s.label);
    if (blob.action === "skip") {
      report({ kind: "blob-done", blob: blob.source, bytes: 0, action: "skipped" }, 0);
      return { result: plannedResult(blob), access: undefined };
    }
    let seen = 0;
    const copied = await copyBlob(context, version.descriptor, blob, inner, (bytes, total) => {
      const event = { kind: "blob-progress" as const, blob: blob.source, bytes };
      report({ ...event, ...(total === undefined ? {} : { total }) }, bytes - seen);
      seen = bytes;
    }).catch((error: unknown) => {
      throw elementError(error, `${elements.join(", ")} of ${version.component}:${version.version}`);
    });
    const action = copied.bytesRead === 0 && copied.size > 0 ? "skipped" : "copied";
    report({ kind: "blob-done", blob: blob.source, bytes: copied.bytesRead, total: copied.size, action }, 0);
    const result: TransferredBlob = {
      elements,
      source: blob.source,
      action,
      digest: copied.digest,
      size: copied.size,
    };
    return { result, access: copied.access };
  });
  return { results: outcomes.map((o) => o.result), accesses: outcomes.map((o) => o.access) };
}

/** The source descriptor with the accesses the target gave the copied blobs. */
function rewriteAccesses(
  version: PlannedVersion,
  accesses: (Record<string, unknown> | undefined)[],
): WireDescriptor {
  const descriptor = structuredClone(version.descriptor);
  version.blobs.forEach((blob, i) => {
    const access = accesses[i];
    if (access === undefined) return;
    for (const slot of blob.slots) {
      const element = (descriptor.component[slot.list] as Record<string, unknown>[])[slot.index];
      if (element) element["access"] = access;
    }
  });
  return descriptor;
}

/**
 * The versions to transfer: of the component named, or of every component of the source. For a whole
 * repository `latest`/`semver` apply per component, and a component with no match is left out.
 */
async function selectRoots(
  manager: CapabilityProvider,
  sourceRepo: ComponentVersionRepository,
  options: TransferOptions,
): Promise<VersionKey[]> {
  const selection: VersionSelection = options;
  if (options.component !== undefined) {
    const versions = await selectVersions(
      sourceRepo,
      options.source,
      options.component,
      selection,
      options.signal,
    );
    return versions.map((version) => ({ component: options.component as string, version }));
  }
  const roots: VersionKey[] = [];
  const components = await listComponents(manager, options.source, options.signal);
  for (const component of components) {
    const versions = await selectVersions(
      sourceRepo,
      options.source,
      component,
      selection,
      options.signal,
    ).catch((error: unknown) => {
      if (isOcmError(error) && error.code === "OCM_TRANSFER_NO_MATCH" && options.semver !== undefined)
        return [];
      throw error;
    });
    roots.push(...versions.map((version) => ({ component, version })));
  }
  if (roots.length === 0 && options.semver !== undefined) {
    throw new OcmError({
      code: "OCM_TRANSFER_NO_MATCH",
      message: `no component of ${describeRepository(options.source)} has a version satisfying ${JSON.stringify(options.semver)}`,
      hint: `Components there: ${components.join(", ") || "none"}. Widen --semver, or drop it.`,
      details: { components, semver: options.semver },
    });
  }
  return roots;
}
