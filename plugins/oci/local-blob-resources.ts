// resourceRepository for localBlob resources of an OCI registry: the request names the registry and the
// component version, and the resource's localReference is resolved there.
import { OcmError, type ResourceRepository, type TypedSpec } from "../../core/index.js";
import { isLocalBlobAccess } from "../ctf/local-blob-layers.js";
import { ociComponentVersions } from "./component-versions.js";

interface Context {
  repository?: TypedSpec | undefined;
  component?: string | undefined;
  version?: string | undefined;
}

function requireContext(
  context: Context,
  resource: string,
): { repository: TypedSpec; component: string; version: string } {
  const { repository, component, version } = context;
  if (repository === undefined || component === undefined || version === undefined) {
    throw new OcmError({
      code: "OCM_RPC_BAD_REQUEST",
      message: `resource ${resource}: a localBlob request needs repository, component and version`,
      hint: "Pass the OCI repository specification and the component version the resource belongs to.",
    });
  }
  return { repository, component, version };
}

/** Reads and stores the bytes of localBlob resources in an OCI registry. */
export const ociLocalBlobResources: ResourceRepository = {
  async getResource({ resource, ...context }, options) {
    const access = resource.access;
    if (!isLocalBlobAccess(access)) {
      throw new OcmError({
        code: "OCM_RESOURCE_NOT_FOUND",
        message: `resource ${resource.name}: access type ${JSON.stringify(access.type)} is not a localBlob`,
        hint: "The OCIRegistry/v1 type serves localBlob resources; ociArtifact and ociBlob have their own types.",
      });
    }
    const mediaType = (access as Record<string, unknown>)["mediaType"];
    return ociComponentVersions.getLocalBlob(
      {
        ...requireContext(context, resource.name),
        localReference: String(access.localReference),
        ...(typeof mediaType === "string" ? { mediaType } : {}),
      },
      options,
    );
  },

  async addResource({ resource, mediaType, ...context }, content, options) {
    const stored = await ociComponentVersions.addLocalBlob(
      { ...requireContext(context, resource.name), mediaType: mediaType ?? "application/octet-stream" },
      content,
      options,
    );
    return {
      resource: {
        ...resource,
        access: { type: "localBlob", localReference: stored.localReference, mediaType: stored.mediaType },
        digest: {
          hashAlgorithm: "SHA-256",
          normalisationAlgorithm: "genericBlobDigest/v1",
          value: stored.digest.slice("sha256:".length),
        },
      },
    };
  },
};
