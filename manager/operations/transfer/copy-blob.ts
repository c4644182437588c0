// Copies one blob from the source to the target as a stream: read (getLocalBlob, or getResource for a
// resource copied by value), metered, and handed to the target's addLocalBlob with the announced digest
// and size, so the target verifies the bytes; or, where the target's plugin stores it through an access of
// its own, to that access type's resourceRepository. Never buffered whole.
import {
  type Blob,
  type ComponentVersionRepository,
  type TypedSpec,
  type WireDescriptor,
  type WireResource,
} from "../../../core/index.js";
import type { CapabilityProvider } from "../../../core/index.js";
import { addThroughAccess, placementOf } from "./place-blob.js";
import { pushTransformedBlob } from "./push-transformed-blob.js";
import type { PlannedBlob } from "./plan-transfer.js";
import { retryStep } from "./retry-step.js";

/** Where the blob comes from and goes to. */
export interface CopyContext {
  manager: CapabilityProvider;
  sourceRepo: ComponentVersionRepository;
  targetRepo: ComponentVersionRepository;
  source: TypedSpec;
  target: TypedSpec;
  /** Let the target's plugin store local blobs through accesses of its own too (`--copy-resources`). */
  copyResources?: boolean | undefined;
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

/**
 * Copies `blob` of the component version `descriptor` into the target; `onBytes` sees every chunk. The
 * target's plugin may store a resource's blob through an access of its own (place-blob.ts): with
 * `copyResources`, or for a resource read by value; else it becomes (or stays) a local blob.
 */
export function copyBlob(
  context: CopyContext,
  descriptor: WireDescriptor,
  blob: PlannedBlob,
  signal: AbortSignal,
  onBytes: (bytes: number, total: number | undefined) => void,
): Promise<CopiedBlob> {
  // A remote instance lost mid-stream: the blob is read again from the start, from another instance.
  return retryStep(() => copyBlobOnce(context, descriptor, blob, signal, onBytes), signal);
}

async function copyBlobOnce(
  context: CopyContext,
  descriptor: WireDescriptor,
  blob: PlannedBlob,
  signal: AbortSignal,
  onBytes: (bytes: number, total: number | undefined) => void,
): Promise<CopiedBlob> {
  const slot = blob.slots[0];
  const list = (slot ? descriptor.component[slot.list] : []) as { access: Access }[];
  const original = (slot ? list[slot.index]?.access : undefined) ?? { type: blob.source };
  const resource =
    slot?.list === "resources" ? (descriptor.component.resources as WireResource[])[slot.index] : undefined;
  const opened = await openSource(context, descriptor, blob, original, signal);
  // The name the artifact goes by: a local blob records it, a resource read by value is told it by its plugin.
  const hint = blob.via === "localBlob" ? original["referenceName"] : opened.referenceName;
  const referenceName = typeof hint === "string" && hint !== "" ? hint : undefined;
  let bytesRead = 0;
  let started = false;
  const content = meter(opened.content, (n) => {
    started = true;
    bytesRead += n;
    if (n > 0) onBytes(bytesRead, opened.size);
  });
  let placed: Access | undefined;
  let copied: CopiedBlob | undefined;
  try {
    const { name: component, version } = descriptor.component;
    const toPlace =
      resource === undefined
        ? undefined
        : { component, version, resource, mediaType: blob.mediaType ?? opened.mediaType, referenceName };
    if (toPlace && (blob.via === "resource" || context.copyResources === true)) {
      placed = await placementOf(context, toPlace, signal);
    }
    if (toPlace && placed) {
      const stored = await addThroughAccess(context, toPlace, placed, content, signal);
      // What was stored was read whole (an artifact set); its size is what was read.
      copied = {
        access: stored.access,
        digest: stored.digest ?? opened.digest ?? "",
        size: bytesRead,
        bytesRead,
      };
    } else {
      copied = await storeLocalBlob(
        context,
        descriptor,
        blob,
        original,
        opened,
        content,
        referenceName,
        signal,
      );
      copied = { ...copied, bytesRead };
    }
  } finally {
    // Failed, or the target had the blob (or, when placed, all it needed) without reading it all.
    if (copied === undefined || bytesRead < copied.size || placed !== undefined) {
      await release(content, started, opened.content);
    }
  }
  if (placed === undefined && resource !== undefined) {
    const reopen = () => openSource(context, descriptor, blob, original, signal);
    const access = await pushTransformedBlob(
      context,
      descriptor,
      resource,
      copied.access as Access,
      reopen,
      signal,
    );
    copied = { ...copied, access };
  }
  return copied;
}

/** Hands the blob to the target's addLocalBlob; the access becomes (or stays) a localBlob. */
async function storeLocalBlob(
  context: CopyContext,
  descriptor: WireDescriptor,
  blob: PlannedBlob,
  original: Access,
  opened: Blob,
  content: AsyncIterable<Uint8Array>,
  referenceName: string | undefined,
  signal: AbortSignal,
): Promise<CopiedBlob> {
  const { name: component, version } = descriptor.component;
  const request = {
    repository: context.target,
    component,
    version,
    mediaType: blob.mediaType ?? opened.mediaType,
    // A local blob's digest and size are those of its bytes, for the target to check. A resource read by
    // value may name its artifact instead (an image's manifest digest): the target digests those bytes.
    ...(blob.via === "localBlob" && opened.digest !== undefined ? { digest: opened.digest } : {}),
    ...(blob.via === "localBlob" && opened.size !== undefined ? { size: opened.size } : {}),
    // Lets a registry target mount a local blob from the source's repository when both are in it.
    ...(blob.via === "localBlob" ? { source: { repository: context.source, component, version } } : {}),
  };
  const stored = await context.targetRepo.addLocalBlob(request, content, { signal });
  const local = { localReference: stored.localReference, mediaType: stored.mediaType };
  const access =
    blob.via === "localBlob"
      ? { ...original, ...local }
      : {
          type: "localBlob",
          ...local,
          ...(referenceName === undefined ? {} : { referenceName }),
          globalAccess: original,
        };
  return { access, digest: stored.digest, size: stored.size, bytesRead: 0 };
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
