// What the host checks and adds on every capability, whichever kind of plugin implements it: the identity
// of the descriptors it answers, bounds on its blobs, and the credentials of the call's target.
import type { CapabilityKind, CapabilityMap } from "../../../core/index.js";
import type { CredentialResolver } from "../credentials/credential-resolver.js";
import { injectCredentials, type AccessIdentity } from "../credentials/inject-credentials.js";
import { boundBlobs } from "./bound-blobs.js";
import { checkDescriptorIdentity } from "./check-descriptor-identity.js";

export interface GuardOptions {
  pluginId: string;
  /** Bound on a blob whose size the plugin does not declare, in bytes. */
  maxBlobBytes?: number | undefined;
  /** Created on the first call that has a target with a consumer identity. */
  credentialResolver: () => Promise<CredentialResolver>;
  /** How the plugin names the consumer identity of its own access type, when it does. */
  accessIdentity?: AccessIdentity | undefined;
}

/** `impl` wrapped in the host's checks. */
export function guardCapability<K extends CapabilityKind>(
  capability: K,
  impl: CapabilityMap[K],
  options: GuardOptions,
): CapabilityMap[K] {
  const { pluginId, maxBlobBytes } = options;
  const checked = checkDescriptorIdentity(capability, impl, pluginId);
  const bounded = boundBlobs(capability, checked, { pluginId, maxBlobBytes });
  return injectCredentials(capability, bounded, options.credentialResolver, options.accessIdentity);
}
