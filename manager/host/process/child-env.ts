// The environment every process of a plugin runs with (`capabilities` and `server`): the host's own,
// overlaid with PluginManagerOptions.env, so a plugin still finds PATH and its interpreter while a caller
// can add a variable, change one or remove one (`undefined`).
export type EnvOverlay = Record<string, string | undefined>;

/** `base` with every key of `overlay` set, or removed where its value is `undefined`. */
export function childEnv(overlay: EnvOverlay | undefined, base: EnvOverlay = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [key, value] of Object.entries(overlay ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}
