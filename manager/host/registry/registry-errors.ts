// The errors of asking the registry: no plugin for a type, no plugin with an id, a plugin that cannot be used.
import { OcmError, type CapabilityKind } from "../../../core/index.js";
import type { PluginRegistry, RegistryEntry } from "./registry.js";

/** No usable plugin offers `capability` for `type`: says what to install, and which types are known. */
export function pluginNotFound(registry: PluginRegistry, type: string, capability: CapabilityKind): OcmError {
  const offered = registry
    .entries()
    .filter((e) => e.state === "ok")
    .flatMap((e) =>
      Object.entries(e.document?.type ?? {})
        .filter(([, caps]) => caps.includes(capability))
        .map(([name]) => name),
    );
  // Plugins published by ocm-ts are named after the type they serve: `Name/v1` → ocm.software/plugins/name.
  const install = `ocm plugin install <repository>//ocm.software/plugins/${type.replace(/\/v\d+\w*$/, "").toLowerCase()}`;
  return new OcmError({
    code: "OCM_PLUGIN_NOT_FOUND",
    message: `no plugin offers ${capability} for type ${JSON.stringify(type)}`,
    hint: offered.length
      ? `Install the plugin for it (\`${install}\`), or use a known type for ${capability}: ${[...new Set(offered)].sort().join(", ")}.`
      : `Install the plugin for it: \`${install}\` (see \`ocm plugin list\`).`,
    details: { type, capability },
  });
}

/** No plugin has the id `id`. */
export function unknownPluginId(registry: PluginRegistry, id: string): OcmError {
  return new OcmError({
    code: "OCM_PLUGIN_UNKNOWN_ID",
    message: `no plugin with id ${JSON.stringify(id)}`,
    hint: `Known ids: ${registry
      .entries()
      .map((e) => e.id)
      .join(", ")}.`,
  });
}

/** The plugin is listed but broken or disabled. */
export function pluginUnusable(entry: RegistryEntry): OcmError {
  return new OcmError({
    code: "OCM_PLUGIN_BROKEN",
    message: `plugin ${entry.id} is ${entry.state}${entry.error ? `: ${entry.error.message}` : ""}`,
    hint: entry.error?.hint ?? "See `ocm plugin info` for the reason.",
  });
}
