// Public surface of core: the OCM model, the plugin contract and pure logic. No I/O.
export * from "./errors.js";
export * from "./error-codes.js";
export * from "./duration.js";
export * from "./plugin-definition.js";
export * from "./describe-plugin.js";
export * from "./invoke.js";
export * from "./capabilities/index.js";
export * from "./protocol/version.js";
export * from "./protocol/exit-codes.js";
export * from "./protocol/capabilities.js";
export * from "./protocol/server-config.js";
export * from "./protocol/common.js";
export * from "./protocol/operations.js";
export * from "./protocol/routes.js";
export * from "./protocol/ready.js";
export * from "./constructor/index.js";
export * from "./model/index.js";
