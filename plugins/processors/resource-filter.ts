// ResourceFilter/v1: keeps only the resources a transfer should carry, by type, name and extra identity
// (e.g. only the linux/amd64 images of a multi-platform component version).
import { createProcessor, type ProcessorHandlers } from "../../sdk/index.js";
import { configError, configObject, stringList } from "./config-error.js";

export const RESOURCE_FILTER_TYPE = "ResourceFilter/v1";

/** A resource is kept when it passes every field given. */
export interface ResourceFilterConfig {
  /** Keep only resources of these types. */
  types?: string[] | undefined;
  /** Keep only resources of these names. */
  names?: string[] | undefined;
  /**
   * Drop resources whose extra identity holds one of these keys with another value; resources without the
   * key (a README beside platform images) are kept.
   */
  extraIdentity?: Record<string, string> | undefined;
}

export const resourceFilterSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "ResourceFilter/v1 config",
  type: "object",
  properties: {
    types: { type: "array", items: { type: "string", minLength: 1 } },
    names: { type: "array", items: { type: "string", minLength: 1 } },
    extraIdentity: { type: "object", additionalProperties: { type: "string" } },
  },
  additionalProperties: false,
};

function parseConfig(config: unknown): ResourceFilterConfig {
  const object = configObject(RESOURCE_FILTER_TYPE, config, ["types", "names", "extraIdentity"]);
  const extra = object["extraIdentity"];
  if (
    extra !== undefined &&
    (typeof extra !== "object" ||
      extra === null ||
      Array.isArray(extra) ||
      !Object.values(extra).every((v) => typeof v === "string"))
  ) {
    throw configError(RESOURCE_FILTER_TYPE, "extraIdentity", extra, "is not an object of strings");
  }
  return {
    types: stringList(RESOURCE_FILTER_TYPE, "types", object["types"]),
    names: stringList(RESOURCE_FILTER_TYPE, "names", object["names"]),
    extraIdentity: extra as Record<string, string> | undefined,
  };
}

type Resource = { name?: unknown; type?: unknown; extraIdentity?: Record<string, unknown> | null };

/** Whether `resource` passes `filter`. */
export function keepsResource(filter: ResourceFilterConfig, resource: Resource): boolean {
  if (filter.types && !filter.types.includes(String(resource.type))) return false;
  if (filter.names && !filter.names.includes(String(resource.name))) return false;
  const own = resource.extraIdentity ?? {};
  return Object.entries(filter.extraIdentity ?? {}).every(
    ([key, value]) => !(key in own) || own[key] === value,
  );
}

const handlers: ProcessorHandlers<ResourceFilterConfig> = {
  parseConfig,
  process: ({ descriptor }, filter) => {
    const resources = (descriptor.component["resources"] ?? []) as Resource[];
    const kept = resources.filter((r) => keepsResource(filter, r));
    if (kept.length === resources.length) return {};
    return { descriptor: { ...descriptor, component: { ...descriptor.component, resources: kept } } };
  },
};

export const resourceFilter = createProcessor(handlers);
