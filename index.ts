// The library entry point: the core model and contract, the plugin manager with the built-in plugins,
// and `getPlugin` on a default manager for callers who need nothing else.
import type { CapabilityKind, CapabilityMap } from "./core/index.js";
import {
  createPluginManager as createBareManager,
  type PluginManager,
  type PluginManagerOptions,
  type PluginRegistration,
} from "./manager/index.js";
import { logBuiltinsAt } from "./plugins/builtin-log-level.js";
import { builtinPlugins } from "./plugins/builtin.js";

export * from "./core/index.js";
export type {
  FlatRegistration,
  LogLevel,
  Logger,
  PluginListEntry,
  PluginManager,
  PluginManagerOptions,
  PluginRegistration,
} from "./manager/index.js";
export { builtinPlugins };
export * from "./manager/operations/index.js";
export {
  checkConformance,
  createCredentialResolver,
  consumerIdentityOf,
  resolveComponentReference,
  resolveRepositoryReference,
} from "./manager/index.js";
export type {
  ActionRun,
  DeclaredAction,
  RunActionRequest,
  ConformanceOptions,
  ConformanceReport,
  ConformanceCheck,
  ResolveReferenceOptions,
} from "./manager/index.js";

/**
 * Creates a plugin manager with the built-in plugins registered in-process, unless `options.builtins`
 * names others (an empty list gives a bare manager).
 */
export function createPluginManager(options: PluginManagerOptions = {}): PluginManager {
  const manager = createBareManager({ builtins: builtinPlugins(), ...options });
  logBuiltinsAt(manager.logger.level);
  return manager;
}

let defaultManager: PluginManager | undefined;

/** The process-wide default manager, created on first use. */
export function defaultPluginManager(): PluginManager {
  defaultManager ??= createPluginManager();
  return defaultManager;
}

/** The implementation of `capability` for `type` from the default manager. */
export function getPlugin<K extends CapabilityKind>(type: string, capability: K): Promise<CapabilityMap[K]> {
  return defaultPluginManager().getPlugin(type, capability);
}

/** Registers an in-process plugin with the default manager (before its first use). */
export function registerPlugin(registration: PluginRegistration): void {
  defaultPluginManager().registerPlugin(registration);
}
