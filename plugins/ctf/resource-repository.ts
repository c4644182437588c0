// resourceRepository for localBlob resources of a CTF: the request names the CTF and the component version,
// and the resource's localReference is resolved there.
import { OcmError, type ResourceRepository, type TypedSpec } from "../../core/index.js";
import { ctfComponentVersions } from "./component-versions.js";
import { isLocalBlobAccess } from "./local-blob-layers.js";

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
      hint: "Pass the CTF repository specification and the component version the resource belongs to.",
    });
  }
  return { repository, component, version };
}

/** Reads and stores the bytes of localBlob resources in a CTF. */
export const ctfResources: ResourceRepository = {
  async getResource({ resource, ...context }) {
    const access = resource.access;
    if (!isLocalBlobAccess(access)) {
      throw new OcmError({
        code: "OCM_RESOURCE_NOT_FOUND",
        message: `resource ${resource.name}: access type ${JSON.stringify(access.type)} is not a localBlob`,
        hint: "The CTF plugin serves localBlob resources; use the plugin of the access type for others.",
      });
    }
    const mediaType = (access as Record<string, unknown>)["mediaType"];
    return ctfComponentVersions.getLocalBlob({
      ...requireContext(context, resource.name),
      localReference: String(access.localReference),
      ...(typeof mediaType === "string" ? { mediaType } : {}),
    });
  },

  async addResource({ resource, mediaType, ...context }, content) {
    const stored = await ctfComponentVersions.addLocalBlob(
      { ...requireContext(context, resource.name), mediaType: mediaType ?? "application/octet-stream" },
      content,
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
