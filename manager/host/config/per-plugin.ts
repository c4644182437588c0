// What the manager takes from the config file's per-plugin settings (`plugins.<id>`): which plugins are
// off, which side wins for whom, the bounds of one plugin, and the plugin's own configuration, checked
// against its configSchema when the plugin is first used.
import type { PluginSettings, SinglePluginSettings } from "./plugin-settings.js";
import {
  loadSchemaCompiler,
  validatePluginConfig,
  type PluginConfigSource,
  type SchemaCompiler,
} from "./validate-plugin-config.js";

/** The ids to disable: the global lists, plus `disabled: true`, minus the file's `disabled: false`. */
export function disabledPlugins(settings: PluginSettings, fromOptions: readonly string[] = []): string[] {
  const single = Object.entries(settings.plugins ?? {});
  const enabled = new Set(single.filter(([, s]) => s.disabled === false).map(([id]) => id));
  const fromFile = (settings.disabled ?? []).filter((id) => !enabled.has(id));
  const switchedOff = single.filter(([, s]) => s.disabled === true).map(([id]) => id);
  return [...new Set([...fromOptions, ...fromFile, ...switchedOff])];
}

/** `prefer` of single plugins, by id. */
export function pluginPreferences(settings: PluginSettings): Record<string, "builtin" | "external"> {
  const preferOf: Record<string, "builtin" | "external"> = {};
  for (const [id, single] of Object.entries(settings.plugins ?? {})) {
    if (single.prefer) preferOf[id] = single.prefer;
  }
  return preferOf;
}

/** The settings of plugin `id` from the config file (empty when it names none). */
export function settingsOf(settings: PluginSettings, id: string): SinglePluginSettings {
  return settings.plugins?.[id] ?? {};
}

/** Where plugins get their own configuration from. */
export interface PluginConfigSources {
  options?: Record<string, unknown> | undefined;
  settings: PluginSettings;
}

/**
 * What checks the configurations of `sources` against the plugins' configSchemas: ajv, imported only when
 * some plugin is configured at all (undefined otherwise).
 */
export async function configChecker(sources: PluginConfigSources): Promise<SchemaCompiler | undefined> {
  const configured =
    Object.values(sources.options ?? {}).some((config) => config !== undefined) ||
    Object.values(sources.settings.plugins ?? {}).some((single) => single.config !== undefined);
  return configured ? loadSchemaCompiler() : undefined;
}

/**
 * The configuration plugin `id` gets, checked against `schema` when the plugin declares one: the library's
 * `pluginConfig` option wins over the config file. Undefined when neither configures the plugin. `checker`
 * is what `configChecker` gave for the same sources.
 */
export function pluginConfigFor(
  id: string,
  schema: Record<string, unknown> | undefined,
  sources: PluginConfigSources,
  checker: SchemaCompiler | undefined,
): { config: unknown } | undefined {
  const fromOptions = sources.options?.[id];
  const single = settingsOf(sources.settings, id);
  let config: unknown;
  let source: PluginConfigSource;
  if (fromOptions !== undefined) {
    config = fromOptions;
    source = { origin: "the pluginConfig option", field: `pluginConfig.${id}` };
  } else if (single.config !== undefined && single.configSource) {
    config = single.config;
    const { file, field } = single.configSource;
    source = { origin: `config file ${file}`, field, file };
  } else {
    return undefined;
  }
  if (schema) {
    if (!checker)
      throw new Error(`plugin ${id} has a configuration, but its sources were not checked for one`);
    validatePluginConfig(checker, id, schema, config, source);
  }
  return { config };
}
