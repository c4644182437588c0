// After a resource's blob is stored as a local blob, the blobTransformer of the resource's type (when a
// plugin offers one) may answer another form of it to store beside it, as the Go tool's blob handlers do
// (a Helm chart as a Helm OCI artifact in a registry). The host knows no technology here: it asks, lets
// the target's plugin place the answer (place-blob.ts), and records the access it gets as the local blob's
// `globalAccess`. The local blob, its digest and so the signatures stay as they are.
import type { Blob, TypedSpec, WireDescriptor, WireResource } from "../../../core/index.js";
import type { CapabilityProvider } from "../../../core/index.js";
import { addThroughAccess, findTransformer, placementOf } from "./place-blob.js";

type Access = { type: string; [key: string]: unknown };

/** What the transform needs from the copy. */
export interface TransformContext {
  manager: CapabilityProvider;
  source: TypedSpec;
  target: TypedSpec;
}

/**
 * Returns `access` (the stored local blob's) with `globalAccess` set to where the transformed form was
 * stored, or `access` unchanged when the target places no blobs of its own, no plugin transforms the
 * resource's type, its transformer answers none, or the target keeps the answer nowhere. `reopen` reads
 * the blob's bytes again from the source.
 */
export async function pushTransformedBlob(
  context: TransformContext,
  descriptor: WireDescriptor,
  resource: WireResource | undefined,
  access: Access,
  reopen: () => Promise<Blob>,
  signal: AbortSignal,
): Promise<Access> {
  if (resource === undefined) return access;
  // A target whose plugin places no blobs keeps everything as local blobs: nothing to transform for.
  if (!(await findTransformer(context.manager, context.target.type))?.placeBlob) return access;
  const transformer = await findTransformer(context.manager, resource.type);
  if (!transformer?.transformBlob) return access;
  const { name: component, version } = descriptor.component;
  const opened = await reopen();
  const { artifact } = await transformer.transformBlob(
    {
      repository: context.source,
      component,
      version,
      resource,
      mediaType: typeof access["mediaType"] === "string" ? access["mediaType"] : opened.mediaType,
      target: context.target,
    },
    opened.content,
    { signal },
  );
  if (artifact === null) return access;
  const blob = {
    component,
    version,
    resource,
    mediaType: artifact.mediaType,
    referenceName: artifact.referenceName,
  };
  const placed = await placementOf(context, blob, signal);
  if (placed === undefined) return access;
  const bytes = Buffer.from(artifact.data, "base64");
  const stored = await addThroughAccess(
    context,
    blob,
    placed,
    (async function* () {
      yield bytes;
    })(),
    signal,
  );
  return { ...access, globalAccess: stored.access };
}
