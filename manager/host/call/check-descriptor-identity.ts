// A repository, local or remote, answers `getComponentVersion` with whatever descriptor it holds under the
// requested tag. A signature covers the descriptor's own name and version, so a descriptor moved to another
// tag (or repository) would still verify: every read is checked here against what was asked for. Every
// descriptor added is checked for elements that share one identity, which no selector could address.
import {
  OcmError,
  type CapabilityKind,
  type CapabilityMap,
  type CallOptions,
  type TypedSpec,
  type WireDescriptor,
} from "../../../core/index.js";
import { describeRepository, refuseDuplicateElements } from "../../../core/model/index.js";

interface Request {
  repository: TypedSpec;
  component: string;
  version: string;
}

/** The error of a descriptor that is not the component version that was requested. */
export function identityMismatch(request: Request, descriptor: WireDescriptor, pluginId: string): OcmError {
  const asked = `${request.component}:${request.version}`;
  const got = `${descriptor.component.name}:${descriptor.component.version}`;
  const where = describeRepository(request.repository);
  return new OcmError({
    code: "OCM_DESCRIPTOR_IDENTITY_MISMATCH",
    message: `repository ${where} (plugin ${pluginId}) returned ${got} when asked for ${asked}; a descriptor stored under another name or version is what a rollback or tag-swap attack looks like`,
    hint: `Do not use this repository's ${asked}; fetch it from a trusted source. The descriptor's own name and version are what its signature covers.`,
    details: { requested: asked, returned: got, plugin: pluginId },
  });
}

/**
 * Wraps a componentVersionRepository so each descriptor it returns is the one that was asked for, and
 * each descriptor added has no two elements of one identity.
 */
export function checkDescriptorIdentity<K extends CapabilityKind>(
  capability: K,
  impl: CapabilityMap[K],
  pluginId: string,
): CapabilityMap[K] {
  if (capability !== "componentVersionRepository") return impl;
  const repo = impl as CapabilityMap["componentVersionRepository"];
  const checked: CapabilityMap["componentVersionRepository"] = {
    ...repo,
    getComponentVersion: async (request: Request, options?: CallOptions) => {
      const answer = await repo.getComponentVersion(request, options);
      const { name, version } = answer.descriptor.component;
      if (name !== request.component || version !== request.version) {
        throw identityMismatch(request, answer.descriptor, pluginId);
      }
      return answer;
    },
    addComponentVersion: async (request, options?: CallOptions) => {
      refuseDuplicateElements(request.descriptor);
      return repo.addComponentVersion(request, options);
    },
  };
  return checked as CapabilityMap[K];
}
