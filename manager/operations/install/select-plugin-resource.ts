// Picks the one `ocmPlugin` resource of a component version for this machine: its `os` and
// `architecture` extra identity (Go's names) plus what the user asked for; otherwise lists candidates.
import { OcmError, type WireDescriptor } from "../../../core/index.js";
import { elementIdentity } from "../../../core/model/index.js";
import type { ResourceEntry } from "../find-resource.js";

/** The resource type of a plugin executable in a component version. */
export const PLUGIN_RESOURCE_TYPE = "ocmPlugin";

export interface SelectPluginResourceOptions {
  /** Resource name, when the component ships more than one plugin. */
  resource?: string | undefined;
  /** More identity attributes that must match (`--extra-identity k=v,...`). */
  extraIdentity?: Record<string, string> | undefined;
  /** Go's os and architecture names of the target machine. */
  os: string;
  architecture: string;
}

const format = (identity: Record<string, string>) =>
  Object.entries(identity)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");

/** The selected resource and its full identity. */
export function selectPluginResource(
  descriptor: WireDescriptor,
  options: SelectPluginResourceOptions,
): { resource: ResourceEntry; identity: Record<string, string> } {
  const resources = (descriptor.component.resources ?? []) as ResourceEntry[];
  const plugins = resources
    .map((resource) => ({ resource, identity: elementIdentity(resource, resources) }))
    .filter(({ resource }) => resource["type"] === PLUGIN_RESOURCE_TYPE);
  const wanted: Record<string, string> = {
    os: options.os,
    architecture: options.architecture,
    ...(options.resource ? { name: options.resource } : {}),
    ...options.extraIdentity,
  };
  const matches = plugins.filter(({ identity }) =>
    Object.entries(wanted).every(([k, v]) => identity[k] === v),
  );
  const where = `${descriptor.component.name}:${descriptor.component.version}`;
  if (matches.length === 1)
    return matches[0] as { resource: ResourceEntry; identity: Record<string, string> };
  const candidates = plugins.map(({ identity }) => format(identity)).join("; ") || "none";
  if (matches.length === 0) {
    throw new OcmError({
      code: "OCM_INSTALL_NO_RESOURCE",
      message: `${where} has no ${PLUGIN_RESOURCE_TYPE} resource matching ${format(wanted)}`,
      hint: `${PLUGIN_RESOURCE_TYPE} resources of ${where}: ${candidates}.`,
      details: { wanted },
    });
  }
  throw new OcmError({
    code: "OCM_INSTALL_AMBIGUOUS",
    message: `${matches.length} ${PLUGIN_RESOURCE_TYPE} resources of ${where} match ${format(wanted)}`,
    hint: `Choose one with --resource <name> or --extra-identity k=v: ${matches.map(({ identity }) => format(identity)).join("; ")}.`,
    details: { wanted },
  });
}
