// Copies one blob from the source to the target as a stream: read (getLocalBlob, or getResource for a
// resource copied by value), metered, and handed to the target's addLocalBlob with the announced digest
// and size, so the target verifies the bytes; or, for an OCI artifact bound for a registry, pushed there as
// an image. Never buffered whole.
import {
  isOcmError,
  type Blob,
  type ComponentVersionRepository,
  type TypedSpec,
  type WireDescriptor,
  type WireResource,
} from "../../../core/index.js";
import type { CapabilityProvider } from "../../../core/index.js";
import { referenceNameOf } from "./oci-image-target.js";
import { pushTransformedBlob } from "./push-transformed-blob.js";
import type { PlannedBlob } from "./plan-transfer.js";

/** Where the blob comes from and goes to. */
export interface CopyContext {
  manager: CapabilityProvider;
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
  let copied: CopiedBlob | undefined;
  try {
    copied =
      blob.image === undefined
        ? await storeLocalBlob(context, descriptor, blob, original, opened, content, () => started, signal)
        : await pushImage(context, descriptor, blob, blob.image, opened, content, signal);
    // An artifact set is read whole; its size is what was read.
    copied = { ...copied, bytesRead, ...(blob.image === undefined ? {} : { size: bytesRead }) };
  } finally {
    // Failed, or the target had the blob (or, for an artifact set, all it needed) without reading it all.
    if (copied === undefined || bytesRead < copied.size || blob.image !== undefined) {
      await release(content, started, opened.content);
    }
  }
  if (blob.image === undefined && slot?.list === "resources") {
    const resource = (descriptor.component.resources as WireResource[])[slot.index];
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
  started: () => boolean,
  signal: AbortSignal,
): Promise<CopiedBlob> {
  const { name: component, version } = descriptor.component;
  const request = {
    repository: context.target,
    component,
    version,
    mediaType: blob.mediaType ?? opened.mediaType,
    // A local blob's digest and size are those of its bytes, for the target to check. A resource read by
    // value may name its artifact instead (an OCI image's manifest digest): the target digests those bytes.
    ...(blob.via === "localBlob" && opened.digest !== undefined ? { digest: opened.digest } : {}),
    ...(blob.via === "localBlob" && opened.size !== undefined ? { size: opened.size } : {}),
    // Lets a registry target mount a local blob from the source's repository when both are in it.
    ...(blob.via === "localBlob" ? { source: { repository: context.source, component, version } } : {}),
  };
  let stored: Awaited<ReturnType<ComponentVersionRepository["addLocalBlob"]>> | undefined;
  while (stored === undefined) {
    const mark = context.progressMark();
    try {
      stored = await context.targetRepo.addLocalBlob(request, content, { signal });
    } catch (error) {
      if (started() || !isLocked(error) || context.progressMark() === mark) throw error;
    }
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
  return { access, digest: stored.digest, size: stored.size, bytesRead: 0 };
}

/**
 * Pushes an OCI artifact (as an artifact set) to `reference` in the target registry through the
 * `ociArtifact` resourceRepository, which checks the manifest digest against an `ociArtifactDigest/v1`
 * resource digest. The access becomes `ociArtifact` with the pushed `host/repo[:tag]@digest`, as the Go
 * tool writes it; the resource digest (the manifest digest) stays what it was.
 */
async function pushImage(
  context: CopyContext,
  descriptor: WireDescriptor,
  blob: PlannedBlob,
  reference: string,
  opened: Blob,
  content: AsyncIterable<Uint8Array>,
  signal: AbortSignal,
): Promise<CopiedBlob> {
  const { name: component, version } = descriptor.component;
  const slot = blob.slots[0];
  const resource = (descriptor.component.resources as WireResource[])[slot?.index ?? -1];
  if (resource === undefined) throw new Error(`no resource at ${String(slot?.index)}`);
  const images = await context.manager.getPlugin("OCIImage/v1", "resourceRepository");
  const added = await images.addResource(
    {
      repository: context.target,
      component,
      version,
      resource: { ...resource, access: { type: "ociArtifact", imageReference: reference } },
      mediaType: blob.mediaType ?? opened.mediaType,
    },
    content,
    { signal },
  );
  const imageReference = String(added.resource.access["imageReference"]);
  const digest = imageReference.slice(imageReference.lastIndexOf("@") + 1);
  return { access: { type: "ociArtifact", imageReference }, digest, size: 0, bytesRead: 0 };
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
