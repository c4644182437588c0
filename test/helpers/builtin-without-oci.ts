// The built-in plugins less the OCI plugin, for the `without-oci` test project: every CTF command and test
// must pass without it, since the host knows no technology (issue #12).
import type { LazyPluginDefinition } from "../../core/index.js";
import { builtinPlugins as allBuiltinPlugins } from "../../plugins/builtin.js";

/** The plugins every default manager registers in-process, without `oci`. */
export function builtinPlugins(): LazyPluginDefinition[] {
  return allBuiltinPlugins().filter((plugin) => plugin.id !== "oci");
}
