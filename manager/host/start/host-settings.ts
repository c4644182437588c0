// What the first use of a manager settles once, before any plugin is looked up: the ocm config, the plugin
// directories, which side wins a lookup, and the bounds that apply to every plugin. The precedence of
// each value is the library option, then the config file, then the default.
import { loadOcmConfig, type OcmConfig } from "../config/load-config.js";
import { disabledPlugins, pluginPreferences } from "../config/per-plugin.js";
import { defaultCacheFile } from "../discover/discover-plugins.js";
import { resolvePluginDirs } from "../discover/plugin-dirs.js";
import type { PluginManagerOptions } from "../plugin-manager-options.js";
import { decidedByBuiltins, type RegistryOptions } from "../registry/registry.js";

/** Idle timeout of external plugins when nothing configures one. */
export const DEFAULT_IDLE_TIMEOUT_MS = 5 * 60_000;

export interface HostSettings {
  readonly config: OcmConfig;
  /** Plugin directories in precedence order. */
  readonly dirs: readonly string[];
  readonly registryOptions: RegistryOptions;
  /** True when a lookup the in-process plugins answer is final (`decidedByBuiltins`). */
  readonly builtinsDecide: boolean;
  readonly cacheFile: string | undefined;
  readonly discoveryTimeoutMs: number | undefined;
  /** Bounds of every plugin; the config file's `plugins.<id>` may override them for one (process-options.ts). */
  readonly idleTimeoutMs: number;
  readonly startTimeoutMs: number | undefined;
  readonly callTimeoutMs: number | undefined;
  readonly maxResponseBytes: number | undefined;
  readonly maxBlobBytes: number | undefined;
}

/** Reads the config file and settles the manager's settings. */
export async function loadHostSettings(
  options: PluginManagerOptions,
  context: { env: Record<string, string | undefined>; home: string },
): Promise<HostSettings> {
  const { env, home } = context;
  const config = await loadOcmConfig({ ...(options.configFile ? { path: options.configFile } : {}), home });
  const file = config.plugin;
  const registryOptions: RegistryOptions = {
    prefer: options.prefer ?? file.prefer ?? "builtin",
    disabled: disabledPlugins(file, options.disabled),
    preferOf: pluginPreferences(file),
  };
  return Object.freeze({
    config,
    dirs: resolvePluginDirs({
      flagDirs: options.pluginDirs ?? [],
      env,
      configDirs: file.locations ?? [],
      home,
    }),
    registryOptions,
    builtinsDecide: decidedByBuiltins(registryOptions),
    cacheFile: options.cacheFile === false ? undefined : (options.cacheFile ?? defaultCacheFile(env, home)),
    discoveryTimeoutMs: options.discoveryTimeoutMs ?? file.discoveryTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs ?? file.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    startTimeoutMs: options.startTimeoutMs ?? file.startTimeoutMs,
    callTimeoutMs: options.callTimeoutMs ?? file.callTimeoutMs,
    maxResponseBytes: options.maxResponseSize ?? file.maxResponseSize,
    maxBlobBytes: options.maxBlobSize ?? file.maxBlobSize,
  });
}
