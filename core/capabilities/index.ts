// The capability interfaces by kind. Kinds whose issues have not landed yet map to an empty interface.
import type { OcmErrorData } from "../errors.js";
import type { ActionRunner } from "./action.js";
import type { CapabilitiesDocument } from "../protocol/capabilities.js";
import type { BlobTransformer } from "./blob-transformer.js";
import type { ComponentLister } from "./component-lister.js";
import type { ComponentVersionRepository } from "./component-version-repository.js";
import type { ConsumerIdentityProvider } from "./consumer-identity.js";
import type { CredentialRepository } from "./credential-repository.js";
import type { DigestProcessor } from "./digest-processor.js";
import type { EventHandler } from "./event-handler.js";
import type { InputRepository } from "./input-repository.js";
import type { Processor } from "./processor.js";
import type { ResourceRepository } from "./resource-repository.js";
import type { SigningHandler } from "./signing-handler.js";

export type {
  ActionRunner,
  BlobTransformer,
  ComponentLister,
  ComponentVersionRepository,
  ConsumerIdentityProvider,
  CredentialRepository,
  DigestProcessor,
  EventHandler,
  InputRepository,
  Processor,
  ResourceRepository,
  SigningHandler,
};
export type { CapabilityInterface } from "./derive.js";

/** The interface implementing each capability kind. */
export interface CapabilityMap {
  componentVersionRepository: ComponentVersionRepository;
  componentLister: ComponentLister;
  resourceRepository: ResourceRepository;
  credentialRepository: CredentialRepository;
  inputRepository: InputRepository;
  signingHandler: SigningHandler;
  blobTransformer: BlobTransformer;
  digestProcessor: DigestProcessor;
  eventHandler: EventHandler;
  consumerIdentity: ConsumerIdentityProvider;
  processor: Processor;
  action: ActionRunner;
}

/**
 * What the operations need from a plugin host, and nothing more: the implementation of a capability for a
 * type (or alias), in-process and remote alike. The host's plugin manager is one; code that takes this
 * instead of the whole manager cannot reach into the host (nor form an import cycle with it).
 */
export interface CapabilityProvider {
  getPlugin<K extends keyof CapabilityMap>(type: string, capability: K): Promise<CapabilityMap[K]>;
}

/** What a host answers when asked to try a plugin file's `capabilities` before it goes live. */
export interface PluginProbeResult {
  state: "ok" | "broken";
  document?: CapabilitiesDocument;
  error?: OcmErrorData;
  stderrTail?: string;
}

/** A host that can try a plugin file without adding it: what `ocm plugin install` needs beyond capabilities. */
export interface PluginProbe {
  probePlugin(path: string, timeoutMs: number): Promise<PluginProbeResult>;
}
