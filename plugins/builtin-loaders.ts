// How each built-in plugin's code is imported, by id: one dynamic import each, so the CLI bundle makes every
// plugin a chunk of its own that only a command using it loads (#15). `builtin.ts` pairs them with their
// generated documents; `npm run builtins` describes them to write those.
import type { PluginDefinition } from "../core/index.js";

/** The built-in plugins' loaders in registration order (an earlier built-in wins a name two declare). */
export const builtinLoaders = {
  ctf: () => import("./ctf/plugin.js").then((module) => module.ctfPlugin),
  credentials: () => import("./credentials/plugin.js").then((module) => module.credentialsPlugin),
  inputs: () => import("./inputs/plugin.js").then((module) => module.inputsPlugin),
  oci: () => import("./oci/plugin.js").then((module) => module.ociPlugin),
  signing: () => import("./signing/plugin.js").then((module) => module.signingPlugin),
  processors: () => import("./processors/plugin.js").then((module) => module.processorsPlugin),
} satisfies Record<string, () => Promise<PluginDefinition>>;

export type BuiltinPluginId = keyof typeof builtinLoaders;
