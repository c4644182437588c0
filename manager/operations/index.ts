// The library form of every command: each takes a plugin manager (or options) and returns data.
export { addComponentVersions } from "./add-component-versions.js";
export type { AddComponentVersionsOptions, AddedComponentVersion } from "./add-component-versions.js";
export { getComponentVersions } from "./get-component-versions.js";
export { downloadResource, openResource } from "./download-resource.js";
export { signComponentVersion } from "./sign-component-version.js";
export { verifyComponentVersion } from "./verify-component-version.js";
export { transferComponentVersions } from "./transfer/transfer-component-versions.js";
export {
  defaultCheckpointDir,
  transferWithProcessors,
  type ProcessedTransferOptions,
  type ProcessedTransferSummary,
} from "./transfer/processors/transfer-with-processors.js";
export { describeChain } from "./transfer/processors/open-chain.js";
export { parseProcessorFlag, type ProcessorEntry } from "./transfer/processors/parse-processor-flag.js";
export { installPlugin } from "./install/install-plugin.js";
