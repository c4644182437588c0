// The `plugin.config.ocm.software/v1` entry of an ocm config file: where plugins live, their timeouts,
// which side wins a type claimed twice, and which plugins are switched off.
import { isAbsolute, join, resolve } from "node:path";
import { z } from "zod";
import { parseDuration } from "../../core/index.js";

export const PLUGIN_CONFIG_TYPES = ["plugin.config.ocm.software/v1", "plugin.config.ocm.software"] as const;

/** Plugin settings from the config file, merged across entries; durations in milliseconds. */
export interface PluginSettings {
  /** Plugin directories, absolute (`~` expanded, relative ones resolved against the config file). */
  locations?: string[];
  idleTimeoutMs?: number;
  startTimeoutMs?: number;
  discoveryTimeoutMs?: number;
  prefer?: "builtin" | "external";
  /** Plugin ids that stay listed but are never used. */
  disabled?: string[];
  /** Bound on a JSON answer of a plugin, in bytes. */
  maxResponseSize?: number;
  /** Bound on a blob of undeclared size, in bytes. */
  maxBlobSize?: number;
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

export const pluginConfigEntrySchema = z.strictObject({
  type: z.enum(PLUGIN_CONFIG_TYPES),
  locations: z.array(z.string().min(1)).optional(),
  idleTimeout: durationSchema.optional(),
  startTimeout: durationSchema.optional(),
  discoveryTimeout: durationSchema.optional(),
  prefer: z.enum(["builtin", "external"]).optional(),
  disabled: z.array(z.string().min(1)).optional(),
  maxResponseSize: z.number().int().positive().optional(),
  maxBlobSize: z.number().int().positive().optional(),
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
export function toPluginSettings(entry: PluginConfigEntry, home: string, baseDir: string): PluginSettings {
  const settings: PluginSettings = {};
  if (entry.locations) {
    settings.locations = entry.locations.map((location) => {
      const expanded = expandHome(location, home);
      return isAbsolute(expanded) ? expanded : resolve(baseDir, expanded);
    });
  }
  if (entry.idleTimeout !== undefined) settings.idleTimeoutMs = parseDuration(entry.idleTimeout);
  if (entry.startTimeout !== undefined) settings.startTimeoutMs = parseDuration(entry.startTimeout);
  if (entry.discoveryTimeout !== undefined)
    settings.discoveryTimeoutMs = parseDuration(entry.discoveryTimeout);
  if (entry.prefer !== undefined) settings.prefer = entry.prefer;
  if (entry.disabled !== undefined) settings.disabled = [...entry.disabled];
  if (entry.maxResponseSize !== undefined) settings.maxResponseSize = entry.maxResponseSize;
  if (entry.maxBlobSize !== undefined) settings.maxBlobSize = entry.maxBlobSize;
  return settings;
}
