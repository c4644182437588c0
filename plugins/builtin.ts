// The one place where in-process plugins are listed: the ADR's essential plugins, registered by default so
// a fresh install works with no extra binaries.
import type { PluginDefinition } from "../core/index.js";
import { credentialsPlugin } from "./credentials/plugin.js";
import { ctfPlugin } from "./ctf/plugin.js";
import { inputsPlugin } from "./inputs/plugin.js";
import { ociPlugin } from "./oci/plugin.js";
import { processorsPlugin } from "./processors/plugin.js";
import { signingPlugin } from "./signing/plugin.js";

/** The plugins every default manager registers in-process. */
export function builtinPlugins(): PluginDefinition[] {
  return [ctfPlugin, credentialsPlugin, inputsPlugin, ociPlugin, signingPlugin, processorsPlugin];
}
