// How a transfer's target stores a copied blob, as the plugin of the target's repository type decides
// (blobTransformer `place-blob`): through an access of its own (an image pushed into a registry), whose
// resourceRepository then takes the bytes, or as a local blob when no plugin says otherwise.
import {
  isOcmError,
  type BlobContent,
  type BlobTransformer,
  type CapabilityProvider,
  type TypedSpec,
  type WireResource,
} from "../../../core/index.js";
import { toHashAlgorithm } from "../../../core/model/index.js";

type Access = { type: string; [key: string]: unknown };

/** Where placement asks and stores. */
export interface PlacementContext {
  manager: CapabilityProvider;
  target: TypedSpec;
}

/** The blob to place: the resource it belongs to, its media type and the name its artifact goes by. */
export interface BlobToPlace {
  component: string;
  version: string;
  resource: WireResource;
  mediaType: string;
  referenceName?: string | undefined;
}

/** The blobTransformer `manager` has for `type` (a repository or resource type), if any. */
export async function findTransformer(
  manager: CapabilityProvider,
  type: string,
): Promise<BlobTransformer | undefined> {
  try {
    return await manager.getPlugin(type, "blobTransformer");
  } catch (error) {
    if (isOcmError(error) && error.code === "OCM_PLUGIN_NOT_FOUND") return undefined;
    throw error;
  }
}

/** The access the target's plugin stores `blob` through, or undefined to keep it a local blob. */
export async function placementOf(
  context: PlacementContext,
  blob: BlobToPlace,
  signal: AbortSignal,
): Promise<Access | undefined> {
  const transformer = await findTransformer(context.manager, context.target.type);
  if (!transformer?.placeBlob) return undefined;
  const { referenceName, ...rest } = blob;
  const { access } = await transformer.placeBlob(
    { target: context.target, ...rest, ...(referenceName === undefined ? {} : { referenceName }) },
    { signal },
  );
  return access ?? undefined;
}

/**
 * Stores `content` through `access` in the target: the access type's resourceRepository adds it and
 * answers the access to record (e.g. with the pushed digest), and the digest of what it stored when it
 * reports one.
 */
export async function addThroughAccess(
  context: PlacementContext,
  blob: BlobToPlace,
  access: Access,
  content: BlobContent,
  signal: AbortSignal,
): Promise<{ access: Access; digest?: string }> {
  const resources = await context.manager.getPlugin(access.type, "resourceRepository");
  const added = await resources.addResource(
    {
      repository: context.target,
      component: blob.component,
      version: blob.version,
      resource: { ...blob.resource, access },
      mediaType: blob.mediaType,
    },
    content,
    { signal },
  );
  const digest = digestString(added.resource["digest"]);
  return { access: added.resource.access, ...(digest === undefined ? {} : { digest }) };
}

/** `sha256:<hex>` for a resource digest `{hashAlgorithm, value}`, if it has that form. */
function digestString(digest: unknown): string | undefined {
  const spec = digest as { hashAlgorithm?: unknown; value?: unknown } | null | undefined;
  if (typeof spec?.hashAlgorithm !== "string" || typeof spec.value !== "string") return undefined;
  try {
    return `${toHashAlgorithm(spec.hashAlgorithm).replace("-", "").toLowerCase()}:${spec.value}`;
  } catch {
    return undefined;
  }
}
