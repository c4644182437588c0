// The options, progress events and summary of a transfer: the contract between the library and its callers.
import type { EventPublisher, TypedSpec } from "../../../core/index.js";

/** What to transfer, where to, and how. */
export interface TransferOptions {
  /** The repository to read from. */
  source: TypedSpec;
  /** The repository to write to; whether a missing one is created is up to its plugin and spec. */
  target: TypedSpec;
  /** Without a component every component of the source is transferred (it needs a componentLister). */
  component?: string | undefined;
  /** Without a version every version of the component is transferred (see `latest` and `semver`). */
  version?: string | undefined;
  /** Only the highest version (after the `semver` filter). */
  latest?: boolean | undefined;
  /** Only versions satisfying this semver range, e.g. `^1.2` or `>=1.0.0 <2`. */
  semver?: string | undefined;
  /** Transfer the component versions they reference (from the source repository) first. */
  recursive?: boolean | undefined;
  /** Repositories asked, in order, for referenced versions the source does not hold. */
  lookup?: readonly TypedSpec[] | undefined;
  /** Do not descend below a version the target already holds (the Go tool's `--stop-on-existing`). */
  stopOnExisting?: boolean | undefined;
  /** Copy versions the target holds again, as if it did not (the Go tool's `--enforce`). */
  enforce?: boolean | undefined;
  /** Copy resources with external accesses by value into local blobs of the target. */
  copyResources?: boolean | undefined;
  /** Replace a version the target holds with different content (else that is an error). */
  overwrite?: boolean | undefined;
  /** Plan only: read both repositories, write nothing. */
  dryRun?: boolean | undefined;
  /** Blobs copied (and versions read while planning) at the same time: a positive integer, or its text. Default 4. */
  concurrency?: number | string | undefined;
  onProgress?: ((event: TransferProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** Receives `componentVersion.transferred` after each version is stored in the target. */
  events?: EventPublisher | undefined;
}

/** What happened (or, in a dry run, would happen) to one component version. */
export type VersionAction = "copied" | "skipped" | "overwritten";

/** What happened (or would happen) to one blob. */
export type BlobAction = "copied" | "skipped";

/** A blob of a transferred component version. */
export interface TransferredBlob {
  /** The element the blob belongs to, e.g. `resource readme`; several when they share one blob. */
  elements: string[];
  /** The source's local reference, or the external access type for a resource copied by value. */
  source: string;
  action: BlobAction;
  /** Known once copied. */
  digest?: string;
  size?: number;
}

/** One component version of the summary. */
export interface TransferredVersion {
  component: string;
  version: string;
  action: VersionAction;
  blobs: TransferredBlob[];
  /** The lookup repository it was read from, when that is not the source. */
  from?: string;
}

/** The result of `transferComponentVersions`, in transfer order (referenced versions first). */
export interface TransferSummary {
  dryRun: boolean;
  versions: TransferredVersion[];
  blobsCopied: number;
  blobsSkipped: number;
  /** Bytes written to the target. */
  bytes: number;
}

/** Progress of a transfer. `bytes`/`total` are the blob's for blob events, the version's for version events. */
export interface TransferProgress {
  kind: "version-start" | "blob-progress" | "blob-done" | "version-done";
  component: string;
  version: string;
  /** The blob's source reference (blob events only). */
  blob?: string;
  bytes: number;
  total?: number;
  /** For `blob-done` and `version-done`. */
  action?: VersionAction | BlobAction;
  /** For `version-done`: the lookup repository the version was read from, when that is not the source. */
  from?: string;
  /** Totals of the whole transfer so far, and what the plan holds. */
  overall: { versions: number; blobs: number; bytes: number; plannedVersions: number; plannedBlobs: number };
}
