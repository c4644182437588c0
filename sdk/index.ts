// Public surface of the plugin SDK: define a plugin, run it as an executable, log, and the core types a
// plugin author implements. A plugin bundles this module, so it uses only node built-ins, zod and core.
export { definePlugin, type Plugin } from "./define-plugin.js";
export { log, LOG_LEVELS, type LogFields, type LogLevel, type PluginLog } from "./log.js";
export { isServerProcess } from "./server-process.js";
export { USAGE } from "./cli/parse-args.js";
export { STOP_GRACE_MS } from "./stop/stop-server.js";

export {
  OcmError,
  isOcmError,
  toOcmError,
  PLUGIN_EXIT,
  PROTOCOL_VERSION,
  CAPABILITY_KINDS,
  type OcmErrorData,
  type OcmErrorInit,
  type ErrorCode,
  type PluginDefinition,
  type PluginHooks,
  type TypeDefinition,
  type CapabilityImplementations,
  type CapabilityKind,
  type CapabilityMap,
  type CapabilitiesDocument,
  type ComponentLister,
  type ComponentVersionRepository,
  type CredentialRepository,
  type InputRepository,
  type ResourceRepository,
  type Blob,
  type BlobContent,
  type BlobInfo,
  type CallOptions,
  type ConnectionStatus,
  type Identity,
  type ServerConfig,
  type TestConnectionRequest,
  type TestConnectionResult,
  type TypedSpec,
  type WireDescriptor,
  type WireResource,
} from "../core/index.js";
