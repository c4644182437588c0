// The `plugin.config.ocm.software/v1` entry of an ocm config file: where plugins live, their timeouts,
// which side wins a type claimed twice, which plugins are switched off, and per plugin id its own
// configuration and overrides of those settings (`plugins`).
import { isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { parseDuration } from "../../../core/index.js";
import { remoteSchema, toRemoteSettings, type RemoteSettings } from "./remote-settings.js";

export const PLUGIN_CONFIG_TYPES = ["plugin.config.ocm.software/v1", "plugin.config.ocm.software"] as const;

/** Plugin settings from the config file, merged across entries; durations in milliseconds. */
export interface PluginSettings {
  /** Plugin directories, absolute (`~` expanded, relative ones resolved against the config file). */
  locations?: string[];
  idleTimeoutMs?: number;
  startTimeoutMs?: number;
  /** Bound on each call to an external plugin (until its answer starts; between body bytes). */
  callTimeoutMs?: number;
  discoveryTimeoutMs?: number;
  prefer?: "builtin" | "external";
  /** Plugin ids that stay listed but are never used. */
  disabled?: string[];
  /** Bound on a JSON answer of a plugin, in bytes. */
  maxResponseSize?: number;
  /** Bound on a blob of undeclared size, in bytes. */
  maxBlobSize?: number;
  /** Settings of single plugins, by plugin id. */
  plugins?: Record<string, SinglePluginSettings>;
}

/** What the config file says about one plugin id; each field overrides the global one for that plugin. */
export interface SinglePluginSettings {
  /** The plugin's own configuration: the secrets line for external plugins, `init` for in-process ones. */
  config?: unknown;
  /** Where `config` was given: the config file and the dot path of the field in it, for messages. */
  configSource?: { file: string; field: string };
  idleTimeoutMs?: number;
  startTimeoutMs?: number;
  callTimeoutMs?: number;
  /** `true` switches the plugin off; `false` switches it on again despite the global `disabled` list. */
  disabled?: boolean;
  /** Which side wins where this plugin and a plugin of the other side claim the same type. */
  prefer?: "builtin" | "external";
  /** A plugin that runs as a service at these URLs, never started by the host (ADR 0009). */
  remote?: RemoteSettings;
}

function isDuration(value: string | number): boolean {
  try {
    parseDuration(value);
    return true;
  } catch {
    return false;
  }
}

const durationSchema = z
  .union([z.string().min(1), z.number().int().nonnegative()])
  .refine(isDuration, { message: 'must be a duration such as "30s", "5m" or integer nanoseconds' });

const singlePluginSchema = z.strictObject({
  config: z.unknown().optional(),
  idleTimeout: durationSchema.optional(),
  startTimeout: durationSchema.optional(),
  callTimeout: durationSchema.optional(),
  disabled: z.boolean().optional(),
  prefer: z.enum(["builtin", "external"]).optional(),
  remote: remoteSchema.optional(),
});

export const pluginConfigEntrySchema = z.strictObject({
  type: z.enum(PLUGIN_CONFIG_TYPES),
  locations: z.array(z.string().min(1)).optional(),
  idleTimeout: durationSchema.optional(),
  startTimeout: durationSchema.optional(),
  callTimeout: durationSchema.optional(),
  discoveryTimeout: durationSchema.optional(),
  prefer: z.enum(["builtin", "external"]).optional(),
  disabled: z.array(z.string().min(1)).optional(),
  maxResponseSize: z.number().int().positive().optional(),
  maxBlobSize: z.number().int().positive().optional(),
  plugins: z.record(z.string().min(1), singlePluginSchema).optional(),
});

export type PluginConfigEntry = z.infer<typeof pluginConfigEntrySchema>;

/** Expands a leading `~` to `home`; other paths are returned unchanged. */
export function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/") || path.startsWith("~\\")) return join(home, path.slice(2));
  return path;
}

/**
 * Converts a validated entry into settings. Relative locations are resolved against `baseDir` (the
 * config file's folder), so a config file means the same thing from any working directory.
 */
export function toPluginSettings(
  entry: PluginConfigEntry,
  context: { home: string; file: string; baseDir: string; at: readonly (string | number)[] },
): PluginSettings {
  const { home, baseDir } = context;
  const settings: PluginSettings = {};
  if (entry.locations) {
    settings.locations = entry.locations.map((location) => {
      const expanded = expandHome(location, home);
      return isAbsolute(expanded) ? expanded : resolve(baseDir, expanded);
    });
  }
  if (entry.idleTimeout !== undefined) settings.idleTimeoutMs = parseDuration(entry.idleTimeout);
  if (entry.startTimeout !== undefined) settings.startTimeoutMs = parseDuration(entry.startTimeout);
  if (entry.callTimeout !== undefined) settings.callTimeoutMs = parseDuration(entry.callTimeout);
  if (entry.discoveryTimeout !== undefined)
    settings.discoveryTimeoutMs = parseDuration(entry.discoveryTimeout);
  if (entry.prefer !== undefined) settings.prefer = entry.prefer;
  if (entry.disabled !== undefined) settings.disabled = [...entry.disabled];
  if (entry.maxResponseSize !== undefined) settings.maxResponseSize = entry.maxResponseSize;
  if (entry.maxBlobSize !== undefined) settings.maxBlobSize = entry.maxBlobSize;
  if (entry.plugins !== undefined) {
    settings.plugins = {};
    for (const [id, single] of Object.entries(entry.plugins)) {
      settings.plugins[id] = toSinglePluginSettings(single, {
        file: context.file,
        field: [...context.at, "plugins", id, "config"].map(String).join("."),
      });
      if (single.remote !== undefined) {
        settings.plugins[id].remote = toRemoteSettings(id, single.remote, {
          field: [...context.at, "plugins", id, "remote"].map(String).join("."),
          resolveFile: (path) => {
            const expanded = expandHome(path, home);
            return isAbsolute(expanded) ? expanded : resolve(baseDir, expanded);
          },
        });
      }
    }
  }
  return settings;
}

function toSinglePluginSettings(
  entry: z.infer<typeof singlePluginSchema>,
  configSource: { file: string; field: string },
): SinglePluginSettings {
  const settings: SinglePluginSettings = {};
  if (entry.config !== undefined) {
    settings.config = entry.config;
    settings.configSource = configSource;
  }
  if (entry.idleTimeout !== undefined) settings.idleTimeoutMs = parseDuration(entry.idleTimeout);
  if (entry.startTimeout !== undefined) settings.startTimeoutMs = parseDuration(entry.startTimeout);
  if (entry.callTimeout !== undefined) settings.callTimeoutMs = parseDuration(entry.callTimeout);
  if (entry.disabled !== undefined) settings.disabled = entry.disabled;
  if (entry.prefer !== undefined) settings.prefer = entry.prefer;
  return settings;
}

/**
 * Merges `next` (a later entry of the config file) into `into`: a later field wins, per plugin id too;
 * a plugin's `config` is replaced as a whole, never merged key by key.
 */
export function mergePluginSettings(into: PluginSettings, next: PluginSettings): void {
  const { plugins, ...global } = next;
  Object.assign(into, global);
  if (!plugins) return;
  into.plugins ??= {};
  for (const [id, single] of Object.entries(plugins)) {
    into.plugins[id] = { ...into.plugins[id], ...single };
  }
}
