// Public surface of the plugin SDK: define a plugin, run it as an executable, log, and the core types a
// plugin author implements. A plugin bundles this module, so it uses only node built-ins, zod and core.
// The SDK imports core's modules one by one, never core/index.js: that would bundle the OCM model (yaml,
// descriptor schemas) into every plugin and make each start slower.
export { definePlugin, type Plugin } from "./define-plugin.js";
export {
  serveRemote,
  type RemoteServer,
  type RemoteTlsOptions,
  type ServeRemoteOptions,
} from "./start/serve-remote.js";
export { startRegistering, type RegisterOptions, type Registering } from "./remote/register.js";
export { log, LOG_LEVELS, type LogFields, type LogLevel, type PluginLog } from "./log.js";
export { isServerProcess } from "./server-process.js";
export { expectedDigest } from "./expected-digest.js";
export { localBlobResources } from "./local-blob-resources.js";
export { createDigestMeter, type DigestMeter } from "../core/digest-meter.js";
export {
  createProcessor,
  type BlobToTransform,
  type ProcessorHandlers,
} from "./processor/create-processor.js";
export type { Processor } from "../core/capabilities/processor.js";
export {
  createActions,
  type ActionContext,
  type ActionDefinition,
  type ActionOutcome,
} from "./action/create-action.js";
export type { ActionRunner } from "../core/capabilities/action.js";
export type { ActionDeclaration, ActionLine } from "../core/protocol/actions.js";
export type { ProcessAnswer, ProcessorItem, ReplacementBlob } from "../core/protocol/processor.js";
export { preferBaselineWasm } from "./baseline-wasm.js";
export { USAGE } from "./cli/parse-args.js";
export { STOP_GRACE_MS } from "./stop/stop-server.js";

export type {
  BlobTransformer,
  CapabilityMap,
  ComponentLister,
  ComponentVersionRepository,
  ConsumerIdentityProvider,
  CredentialRepository,
  DigestProcessor,
  InputRepository,
  ResourceRepository,
} from "../core/capabilities/index.js";
export type { ErrorCode } from "../core/error-codes.js";
export { OcmError, isOcmError, toOcmError, type OcmErrorData, type OcmErrorInit } from "../core/errors.js";
export type {
  PluginDefinition,
  PluginHooks,
  TypeDefinition,
  CapabilityImplementations,
} from "../core/plugin-definition.js";
export {
  CAPABILITY_KINDS,
  type CapabilityKind,
  type CapabilitiesDocument,
} from "../core/protocol/capabilities.js";
export type {
  Blob,
  BlobContent,
  BlobInfo,
  CallOptions,
  ConnectionCheck,
  ConnectionStatus,
  Identity,
  TestConnectionRequest,
  TestConnectionResult,
  TypedSpec,
  WireDescriptor,
  WireResource,
} from "../core/protocol/common.js";
export { PLUGIN_EXIT } from "../core/protocol/exit-codes.js";
export type { ServerConfig } from "../core/protocol/server-config.js";
export { PROTOCOL_VERSION } from "../core/protocol/version.js";
