// Derives the `capabilities` document from a plugin definition, so in-process and external plugins
// are described the same way.
import type { CapabilityKind, CapabilitiesDocument, ReferenceSyntax } from "./protocol/capabilities.js";
import type { ActionDeclaration } from "./protocol/actions.js";
import type { EventType } from "./protocol/events.js";
import { PROTOCOL_VERSION } from "./protocol/version.js";
import type { PluginDefinition } from "./plugin-definition.js";

export function describePlugin(definition: PluginDefinition): CapabilitiesDocument {
  const type: Record<string, CapabilityKind[]> = {};
  const aliases: Record<string, string[]> = {};
  const schemas: Record<string, Record<string, unknown>> = {};
  const references: Record<string, ReferenceSyntax> = {};
  const events: Record<string, EventType[]> = {};
  const actions: Record<string, Record<string, ActionDeclaration>> = {};
  for (const [name, def] of Object.entries(definition.types)) {
    type[name] = Object.keys(def.capabilities).filter(
      (kind) => def.capabilities[kind as CapabilityKind] !== undefined,
    ) as CapabilityKind[];
    if (def.aliases?.length) aliases[name] = [...def.aliases];
    if (def.schema) schemas[name] = def.schema;
    if (def.reference) references[name] = def.reference;
    if (def.events?.length) events[name] = [...def.events];
    if (def.actions && Object.keys(def.actions).length) actions[name] = { ...def.actions };
  }
  return {
    type,
    name: definition.name,
    ...(definition.version === undefined ? {} : { version: definition.version }),
    protocol: PROTOCOL_VERSION,
    ...(definition.description === undefined ? {} : { description: definition.description }),
    ...(Object.keys(aliases).length ? { aliases } : {}),
    ...(Object.keys(schemas).length ? { schemas } : {}),
    ...(Object.keys(references).length ? { references } : {}),
    ...(definition.configSchema ? { configSchema: definition.configSchema } : {}),
    connection: {
      status: definition.connectionStatus !== undefined,
      test: definition.testConnection !== undefined,
    },
    ...(Object.keys(events).length ? { events } : {}),
    ...(Object.keys(actions).length ? { actions } : {}),
  };
}
