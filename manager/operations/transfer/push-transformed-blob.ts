// After a resource's blob is stored as a local blob in an OCI registry, the blobTransformer of the
// resource's type (when a plugin offers one) may answer another form of it to push beside it, as the Go
// tool's blob handlers do (a Helm chart as a Helm OCI artifact). The host knows no technology here: it
// asks, pushes the artifact set through the `ociArtifact` resourceRepository, and records the result as
// the local blob's `globalAccess`. The local blob, its digest and so the signatures stay as they are.
import {
  isOcmError,
  type Blob,
  type TypedSpec,
  type WireDescriptor,
  type WireResource,
} from "../../../core/index.js";
import type { CapabilityProvider } from "../../../core/index.js";
import { imageTargetReference, isOciRegistry } from "./oci-image-target.js";

type Access = { type: string; [key: string]: unknown };

/** What the transform needs from the copy. */
export interface TransformContext {
  manager: CapabilityProvider;
  source: TypedSpec;
  target: TypedSpec;
}

/**
 * Returns `access` (the stored local blob's) with `globalAccess` set to the artifact pushed for it, or
 * `access` unchanged when the target is no OCI registry, no plugin transforms the resource's type, or its
 * transformer answers none. `reopen` reads the blob's bytes again from the source.
 */
export async function pushTransformedBlob(
  context: TransformContext,
  descriptor: WireDescriptor,
  resource: WireResource | undefined,
  access: Access,
  reopen: () => Promise<Blob>,
  signal: AbortSignal,
): Promise<Access> {
  if (resource === undefined || !isOciRegistry(context.target)) return access;
  const transformer = await context.manager
    .getPlugin(resource.type, "blobTransformer")
    .catch((error: unknown) => {
      if (isOcmError(error) && error.code === "OCM_PLUGIN_NOT_FOUND") return undefined;
      throw error;
    });
  if (transformer === undefined) return access;
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
  const images = await context.manager.getPlugin("OCIImage/v1", "resourceRepository");
  const reference = imageTargetReference(context.target, artifact.referenceName, component);
  const bytes = Buffer.from(artifact.data, "base64");
  const added = await images.addResource(
    {
      repository: context.target,
      component,
      version,
      resource: { ...resource, access: { type: "ociArtifact", imageReference: reference } },
      mediaType: artifact.mediaType,
    },
    (async function* () {
      yield bytes;
    })(),
    { signal },
  );
  const imageReference = String(added.resource.access["imageReference"]);
  return { ...access, globalAccess: { type: "ociArtifact", imageReference } };
}
