// Public surface of the manager: discovery, registry, lifecycle, transport.
export { createPluginManager } from "./plugin-manager.js";
export type { PluginManager, PluginManagerOptions, PluginListEntry } from "./plugin-manager.js";
export type { FlatRegistration, PluginRegistration } from "./registration.js";
export { createHostLogger, LOG_LEVELS } from "./log.js";
export type { LogLevel, Logger } from "./log.js";
export * from "./operations.js";
