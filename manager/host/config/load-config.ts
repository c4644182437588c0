// Reads the ocm config file (`~/.ocmconfig` by default): the plugin settings it holds, and every other
// configuration entry kept as it is for later consumers such as credentials.
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { OcmError } from "../../../core/index.js";
import {
  PLUGIN_CONFIG_TYPES,
  expandHome,
  mergePluginSettings,
  pluginConfigEntrySchema,
  toPluginSettings,
  type PluginSettings,
} from "./plugin-settings.js";

/** Types of the envelope that holds a list of configurations (OCM's generic config). */
export const GENERIC_CONFIG_TYPES: readonly string[] = [
  "generic.config.ocm.software/v1",
  "generic.config.ocm.software",
];

/** The ocm config as read from disk. */
export interface OcmConfig {
  /** The file read; absent when none was given and the default file does not exist. */
  path?: string;
  /** Settings of every plugin entry, merged in file order (a later entry's field wins). */
  plugin: PluginSettings;
  /** Every entry that is neither a plugin nor a generic one, in file order. */
  entries: unknown[];
}

export interface LoadOcmConfigOptions {
  /** An explicit config file; it must exist. Without it, `~/.ocmconfig` is read when present. */
  path?: string;
  /** The home directory (`~`); defaults to the current user's. */
  home?: string;
}

const typedEntrySchema = z.looseObject({ type: z.string().min(1) });
const genericEntrySchema = z.looseObject({
  type: z.string(),
  configurations: z.array(z.unknown()).optional(),
});

/**
 * Loads the ocm config. A config file is either OCM's generic envelope
 * (`type: generic.config.ocm.software/v1` with `configurations: [...]`) or one bare configuration object.
 */
export async function loadOcmConfig(options: LoadOcmConfigOptions = {}): Promise<OcmConfig> {
  const home = options.home ?? homedir();
  const explicit = options.path !== undefined;
  const path = resolve(explicit ? expandHome(options.path as string, home) : join(home, ".ocmconfig"));
  const text = await readConfigText(path, explicit);
  if (text === undefined) return Object.freeze({ plugin: {}, entries: [] });

  let document: unknown;
  try {
    document = parseYaml(text, { schema: "core" });
  } catch (error) {
    throw new OcmError({
      code: "OCM_CONFIG_INVALID",
      message: `config file ${path} is not valid YAML: ${(error as Error).message}`,
      hint: "Fix the YAML syntax at the line and column named in the message.",
      details: { path },
      cause: error,
    });
  }

  const plugin: PluginSettings = {};
  const entries: unknown[] = [];
  if (document !== null && document !== undefined) {
    collectEntries(document, [], { file: path, home, plugin, entries });
  }
  return Object.freeze({ path, plugin, entries });
}

async function readConfigText(path: string, explicit: boolean): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (!explicit && (error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new OcmError({
      code: "OCM_CONFIG_READ_FAILED",
      message: `cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      hint: explicit
        ? "Check the path given with --config and the file's permissions."
        : `Fix the permissions of ${path}, or remove it.`,
      details: { path },
      cause: error,
    });
  }
}

interface Collector {
  file: string;
  home: string;
  plugin: PluginSettings;
  entries: unknown[];
}

function collectEntries(value: unknown, at: (string | number)[], into: Collector): void {
  const typed = typedEntrySchema.safeParse(value);
  if (!typed.success) throw invalid(into.file, at, typed.error);
  const type = typed.data.type;

  if (GENERIC_CONFIG_TYPES.includes(type)) {
    const generic = genericEntrySchema.safeParse(value);
    if (!generic.success) throw invalid(into.file, at, generic.error);
    generic.data.configurations?.forEach((entry, index) =>
      collectEntries(entry, [...at, "configurations", index], into),
    );
    return;
  }
  if ((PLUGIN_CONFIG_TYPES as readonly string[]).includes(type)) {
    const parsed = pluginConfigEntrySchema.safeParse(value);
    if (!parsed.success) throw invalid(into.file, at, parsed.error);
    const settings = toPluginSettings(parsed.data, {
      home: into.home,
      file: into.file,
      baseDir: dirname(into.file),
      at,
    });
    mergePluginSettings(into.plugin, settings);
    return;
  }
  into.entries.push(value);
}

function invalid(file: string, at: (string | number)[], error: z.ZodError): OcmError {
  const issue = error.issues[0];
  const path: PropertyKey[] = [...at, ...(issue?.path ?? [])];
  // An unknown key is reported on its object; name the key itself, which is what the user mistyped.
  if (issue?.code === "unrecognized_keys" && issue.keys[0] !== undefined) path.push(issue.keys[0]);
  const field = path.length ? path.map(String).join(".") : "(root)";
  return new OcmError({
    code: "OCM_CONFIG_INVALID",
    message: `config file ${file}: field ${field}: ${issue?.message ?? "invalid"}`,
    hint:
      "Correct that field. A plugin.config.ocm.software/v1 entry accepts locations, idleTimeout, startTimeout, " +
      "callTimeout, discoveryTimeout, prefer (builtin|external), disabled, maxResponseSize, maxBlobSize and plugins " +
      "(per plugin id: config, idleTimeout, startTimeout, callTimeout, disabled, prefer).",
    details: { path: file, field },
  });
}
