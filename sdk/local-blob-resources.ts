// A resourceRepository for localBlob accesses on top of a plugin's componentVersionRepository: a repository
// plugin (CTF, OCI, ...) serves the bytes of its own local blobs without writing this adapter again.
import type { ComponentVersionRepository, ResourceRepository } from "../core/capabilities/index.js";
import { OcmError } from "../core/errors.js";
import { canonicalAccessType } from "../core/model/access-types.js";
import type { TypedSpec } from "../core/protocol/common.js";

/** True for a `localBlob` access (any of its spellings). */
export function isLocalBlobAccess(
  access: unknown,
): access is { type: string; localReference: unknown; [key: string]: unknown } {
  return (
    typeof access === "object" &&
    access !== null &&
    canonicalAccessType(String((access as { type?: unknown }).type)) === "LocalBlob/v1"
  );
}

interface Context {
  repository?: TypedSpec | undefined;
  component?: string | undefined;
  version?: string | undefined;
}

/**
 * Serves localBlob resources from `versions`: the request names the repository and the component version,
 * and the resource's localReference is resolved there. `what` names the repository kind in messages.
 */
export function localBlobResources(versions: ComponentVersionRepository, what: string): ResourceRepository {
  function requireContext(context: Context, resource: string) {
    const { repository, component, version } = context;
    if (repository === undefined || component === undefined || version === undefined) {
      throw new OcmError({
        code: "OCM_RPC_BAD_REQUEST",
        message: `resource ${resource}: a localBlob request needs repository, component and version`,
        hint: `Pass the ${what} repository specification and the component version the resource belongs to.`,
      });
    }
    return { repository, component, version };
  }

  return {
    async getResource({ resource, ...context }, options) {
      const access = resource.access;
      if (!isLocalBlobAccess(access)) {
        throw new OcmError({
          code: "OCM_RESOURCE_NOT_FOUND",
          message: `resource ${resource.name}: access type ${JSON.stringify(access.type)} is not a localBlob`,
          hint: `The ${what} plugin serves localBlob resources here; use the plugin of the access type for others.`,
        });
      }
      const mediaType = access["mediaType"];
      return versions.getLocalBlob(
        {
          ...requireContext(context, resource.name),
          localReference: String(access.localReference),
          ...(typeof mediaType === "string" ? { mediaType } : {}),
        },
        options,
      );
    },

    async addResource({ resource, mediaType, ...context }, content, options) {
      const stored = await versions.addLocalBlob(
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
}
