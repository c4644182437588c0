// The library form of every command: each takes a plugin manager (or options) and returns data.
export { ON_EXISTING, addComponentVersions } from "./add-component-versions.js";
export type {
  AddComponentVersionsOptions,
  AddedComponentVersion,
  OnExisting,
} from "./add-component-versions.js";
export { createRsaKeyPair } from "./create-rsa-key-pair.js";
export { findComponentVersions, getComponentVersions } from "./get-component-versions.js";
export type { ComponentVersionGraph } from "./get-component-versions.js";
export { downloadResource, openResource } from "./download-resource.js";
export { downloadResources } from "./download-resources.js";
export { readKeyFile } from "./read-key-file.js";
export { DEFAULT_SIGNING_ALGORITHM, signComponentVersion } from "./sign-component-version.js";
export { verifyComponentVersion } from "./verify-component-version.js";
export { transferComponentVersions } from "./transfer/transfer-component-versions.js";
export type {
  TransferProgress,
  TransferSummary,
  TransferredVersion,
} from "./transfer/transfer-component-versions.js";
export {
  defaultCheckpointDir,
  transferWithProcessors,
  type ProcessedTransferOptions,
  type ProcessedTransferSummary,
} from "./transfer/processors/transfer-with-processors.js";
export { describeChain } from "./transfer/processors/open-chain.js";
export { parseProcessorFlag, type ProcessorEntry } from "./transfer/processors/parse-processor-flag.js";
export { installPlugin } from "./install/install-plugin.js";
export type { InstallPluginResult } from "./install/install-plugin.js";
export { setPluginEnabled, uninstallPlugin } from "./install/manage-installed.js";
export { isVersionConstraint } from "./install/resolve-plugin-version.js";
export { updatePlugins } from "./install/update-plugins.js";
export type { PluginUpdate } from "./install/update-plugins.js";
