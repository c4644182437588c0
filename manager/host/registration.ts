// In-process registration in two forms: a full PluginDefinition, or the ADR's flat
// `{id, types, capabilities, impl}` (RegisterPluginImplementationForTypeAndCapabilities).
import {
  OcmError,
  capabilityKindSchema,
  type CapabilityImplementations,
  type CapabilityKind,
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

export type PluginRegistration = PluginDefinition | FlatRegistration;

function isFlat(registration: PluginRegistration): registration is FlatRegistration {
  return "impl" in registration && Array.isArray((registration as FlatRegistration).types);
}

/** Normalises either registration form into a PluginDefinition. */
export function toPluginDefinition(registration: PluginRegistration): PluginDefinition {
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
