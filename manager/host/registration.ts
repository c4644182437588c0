// In-process registration in three forms: a full PluginDefinition, the ADR's flat
// `{id, types, capabilities, impl}` (RegisterPluginImplementationForTypeAndCapabilities), or a lazy
// `{id, document, load}` whose code is imported on first use (the built-in plugins, #15).
import {
  OcmError,
  capabilityKindSchema,
  describePlugin,
  type CapabilityImplementations,
  type CapabilityKind,
  type LazyPluginDefinition,
  type PluginDefinition,
} from "../../core/index.js";

export interface FlatRegistration {
  id: string;
  /** Canonical type names served. */
  types: string[];
  capabilities: CapabilityKind[];
  /** One object implementing every listed capability. */
  impl: object;
  aliases?: Record<string, string[]>;
  version?: string;
}

export type PluginRegistration = PluginDefinition | FlatRegistration | LazyPluginDefinition;

function isLazy(registration: PluginRegistration): registration is LazyPluginDefinition {
  return typeof (registration as LazyPluginDefinition).load === "function" && "document" in registration;
}

function isFlat(registration: PluginRegistration): registration is FlatRegistration {
  return "impl" in registration && Array.isArray((registration as FlatRegistration).types);
}

/** Normalises either registration form into a PluginDefinition. */
export function toPluginDefinition(registration: FlatRegistration | PluginDefinition): PluginDefinition {
  if (!isFlat(registration)) return registration;
  const capabilities: CapabilityImplementations = {};
  for (const kind of registration.capabilities) {
    if (!capabilityKindSchema.safeParse(kind).success) {
      throw new OcmError({
        code: "OCM_USAGE_INVALID",
        message: `plugin ${registration.id}: unknown capability ${JSON.stringify(kind)}`,
        hint: `Use one of: ${capabilityKindSchema.options.join(", ")}.`,
      });
    }
    (capabilities as Record<string, object>)[kind] = registration.impl;
  }
  const types: PluginDefinition["types"] = {};
  for (const type of registration.types) {
    const aliases = registration.aliases?.[type];
    types[type] = { capabilities, ...(aliases ? { aliases } : {}) };
  }
  return {
    name: registration.id,
    ...(registration.version === undefined ? {} : { version: registration.version }),
    types,
  };
}

/**
 * Normalises any registration form into the lazy one the in-process handle takes; a definition given whole
 * is described now and "loaded" at once.
 */
export function toLazyPlugin(registration: PluginRegistration): LazyPluginDefinition {
  if (isLazy(registration)) return registration;
  const definition = toPluginDefinition(registration);
  const loaded = Promise.resolve(definition);
  return { id: definition.name, document: describePlugin(definition), load: () => loaded };
}
