// The ordered list of plugin directories. Order matters: it decides which plugin keeps an id claimed twice
// and which external plugin wins a type claimed twice.
import { delimiter, join, resolve } from "node:path";
import { expandHome } from "../config/plugin-settings.js";

export interface ResolvePluginDirsOptions {
  /** `--plugin-dir` flags, searched first. */
  flagDirs?: string[];
  /** Read for `OCM_PLUGIN_DIR`, a path.delimiter-separated list. */
  env?: Record<string, string | undefined>;
  /** `locations` of the config file. */
  configDirs?: string[];
  home: string;
}

/**
 * Flags, then `OCM_PLUGIN_DIR`, then the config file's locations, then `~/.config/ocm/plugins`;
 * `~` expanded, made absolute against the working directory, duplicates dropped keeping the first.
 */
export function resolvePluginDirs(options: ResolvePluginDirsOptions): string[] {
  const fromEnv = (options.env?.["OCM_PLUGIN_DIR"] ?? "").split(delimiter);
  const candidates = [
    ...(options.flagDirs ?? []),
    ...fromEnv,
    ...(options.configDirs ?? []),
    defaultPluginDir(options.home),
  ];
  const dirs: string[] = [];
  for (const candidate of candidates) {
    if (candidate.trim() === "") continue;
    const dir = resolve(expandHome(candidate, options.home));
    if (!dirs.includes(dir)) dirs.push(dir);
  }
  return dirs;
}

/** The default plugin directory, `~/.config/ocm/plugins`. */
export function defaultPluginDir(home: string): string {
  return join(home, ".config", "ocm", "plugins");
}
