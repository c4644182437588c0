// Copies one blob from the source to the target as a stream: read (getLocalBlob, or getResource for a
// resource copied by value), metered, and handed to the target's addLocalBlob with the announced digest
// and size, so the target verifies the bytes. Never buffered whole.
import {
  isOcmError,
  type Blob,
  type ComponentVersionRepository,
  type TypedSpec,
  type WireDescriptor,
} from "../../core/index.js";
import { canonicalAccessType } from "../../core/model/index.js";
import type { PluginManager } from "../plugin-manager.js";
import type { PlannedBlob } from "./plan-transfer.js";

/** Where the blob comes from and goes to. */
export interface CopyContext {
  manager: PluginManager;
  sourceRepo: ComponentVersionRepository;
  targetRepo: ComponentVersionRepository;
  source: TypedSpec;
  target: TypedSpec;
  /** A number that grows whenever the transfer moves bytes (to tell our own lock holders from others). */
  progressMark: () => number;
}

/** The outcome of one blob copy. */
export interface CopiedBlob {
  /** The access to write into every slot of the blob. */
  access: Record<string, unknown>;
  digest: string;
  size: number;
  /** Bytes the target read; 0 (of a non-empty blob) when it already had the blob and read nothing. */
  bytesRead: number;
}

type Access = { type: string; [key: string]: unknown };

/** Counts the bytes the consumer pulls. */
async function* meter(content: AsyncIterable<Uint8Array>, onBytes: (n: number) => void) {
  onBytes(0);
  for await (const chunk of content) {
    onBytes(chunk.length);
    yield chunk;
  }
}

const isLocked = (error: unknown) => isOcmError(error) && error.code === "OCM_REPOSITORY_LOCKED";

/**
 * Copies `blob` of the component version `descriptor` into the target; `onBytes` sees every chunk.
 *
 * A target that serialises writers (a CTF holds its lock for a whole upload) may give up waiting while
 * another blob of this same transfer is being written. When the target has not read anything yet and the
 * transfer moved bytes meanwhile, the lock was (most likely) ours, and the upload is tried again.
 */
export async function copyBlob(
  context: CopyContext,
  descriptor: WireDescriptor,
  blob: PlannedBlob,
  signal: AbortSignal,
  onBytes: (bytes: number, total: number | undefined) => void,
): Promise<CopiedBlob> {
  const { name: component, version } = descriptor.component;
  const slot = blob.slots[0];
  const list = (slot ? descriptor.component[slot.list] : []) as { access: Access }[];
  const original = (slot ? list[slot.index]?.access : undefined) ?? { type: blob.source };
  const opened = await openSource(context, descriptor, blob, original, signal);
  let bytesRead = 0;
  let started = false;
  const content = meter(opened.content, (n) => {
    started = true;
    bytesRead += n;
    if (n > 0) onBytes(bytesRead, opened.size);
  });
  const request = {
    repository: context.target,
    component,
    version,
    mediaType: blob.mediaType ?? opened.mediaType,
    // A local blob's digest and size are those of its bytes, for the target to check. A resource read by
    // value may name its artifact instead (an OCI image's manifest digest): the target digests those bytes.
    ...(blob.via === "localBlob" && opened.digest !== undefined ? { digest: opened.digest } : {}),
    ...(blob.via === "localBlob" && opened.size !== undefined ? { size: opened.size } : {}),
  };
  let stored: Awaited<ReturnType<ComponentVersionRepository["addLocalBlob"]>> | undefined;
  try {
    while (stored === undefined) {
      const mark = context.progressMark();
      try {
        stored = await context.targetRepo.addLocalBlob(request, content, { signal });
      } catch (error) {
        if (started || !isLocked(error) || context.progressMark() === mark) throw error;
      }
    }
  } finally {
    // Failed, or the target had the blob and answered without reading it all: release the source.
    if (stored === undefined || bytesRead < stored.size) await release(content, started, opened.content);
  }
  const local = { localReference: stored.localReference, mediaType: stored.mediaType };
  const access =
    blob.via === "localBlob"
      ? { ...original, ...local }
      : {
          type: "localBlob",
          ...local,
          ...referenceNameOf(original),
          globalAccess: original,
        };
  return { access, digest: stored.digest, size: stored.size, bytesRead };
}

/**
 * Closes a source stream that was not read to its end. One that was never started is stepped once, so
 * that its underlying file or socket is opened by the iterator protocol and closed by `return()`.
 */
async function release(
  metered: AsyncGenerator<Uint8Array>,
  started: boolean,
  source: AsyncIterable<Uint8Array>,
): Promise<void> {
  try {
    if (started) {
      await metered.return(undefined);
      return;
    }
    const iterator = source[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.return?.();
  } catch {
    // The source failed while being closed; the copy has failed or finished already.
  }
}

async function openSource(
  context: CopyContext,
  descriptor: WireDescriptor,
  blob: PlannedBlob,
  access: Access,
  signal: AbortSignal,
): Promise<Blob> {
  const { name: component, version } = descriptor.component;
  if (blob.via === "localBlob") {
    return context.sourceRepo.getLocalBlob(
      {
        repository: context.source,
        component,
        version,
        localReference: blob.source,
        ...(blob.mediaType === undefined ? {} : { mediaType: blob.mediaType }),
      },
      { signal },
    );
  }
  const slot = blob.slots[0];
  const resource = slot ? (descriptor.component.resources as unknown[])[slot.index] : undefined;
  const resources = await context.manager.getPlugin(access.type, "resourceRepository");
  return resources.getResource(
    { repository: context.source, component, version, resource: resource as never },
    { signal },
  );
}

/**
 * The `referenceName` the Go tool stores for an OCI image copied into a local blob: the image reference
 * without its registry host (`ghcr.io/acme/nginx:1.25.0` → `acme/nginx:1.25.0`).
 */
export function referenceNameOf(access: Access): { referenceName?: string } {
  if (canonicalAccessType(access.type) !== "OCIImage/v1") return {};
  const reference = access["imageReference"];
  if (typeof reference !== "string") return {};
  const slash = reference.indexOf("/");
  const first = slash < 0 ? "" : reference.slice(0, slash);
  const hasHost = first.includes(".") || first.includes(":") || first === "localhost";
  return { referenceName: hasHost ? reference.slice(slash + 1) : reference };
}
