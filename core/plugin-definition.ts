// What a plugin is, independent of where it runs: the same definition is served over a socket by the SDK
// or registered in-process with the manager (the ADR's RegisterPluginImplementationForTypeAndCapabilities).
import type { ActionDeclaration } from "./protocol/actions.js";
import type { CapabilitiesDocument, CapabilityKind, ReferenceSyntax } from "./protocol/capabilities.js";
import type { CapabilityMap } from "./capabilities/index.js";
import type { EventType } from "./protocol/events.js";
import type {
  CallOptions,
  ConnectionStatus,
  TestConnectionRequest,
  TestConnectionResult,
} from "./protocol/common.js";

/** Implementations of some capabilities for one type. */
export type CapabilityImplementations = { [K in CapabilityKind]?: CapabilityMap[K] };

export interface TypeDefinition {
  /** Other names under which this type is looked up (e.g. `ctf` for `CommonTransportFormat/v1`). */
  aliases?: string[];
  /** JSON Schema of this type's specification object. */
  schema?: Record<string, unknown>;
  /** How command-line references name a repository of this type (`<alias>::<bare string>`, prefix-less). */
  reference?: ReferenceSyntax;
  capabilities: CapabilityImplementations;
  /** For an eventHandler: the event types it subscribes to. */
  events?: EventType[];
  /** For a type with the action capability: its actions by name, each with its input's JSON Schema. */
  actions?: Record<string, ActionDeclaration>;
}

/** Lifecycle hooks of seed 000 and 001: dormant until init, optional connection status and test. */
export interface PluginHooks {
  /** Called once before the first call, with the plugin's own configuration. Throwing aborts the start. */
  init?(config: unknown): Promise<void> | void;
  /** Whether the plugin is connected to what it fronts. */
  connectionStatus?(): Promise<ConnectionStatus> | ConnectionStatus;
  /** Try a repository spec without doing work; `options.credentials` are those the host resolved for it. */
  testConnection?(
    request: TestConnectionRequest,
    options?: CallOptions,
  ): Promise<TestConnectionResult> | TestConnectionResult;
  /** Called once on a clean stop. */
  close?(): Promise<void> | void;
}

export interface PluginDefinition extends PluginHooks {
  /** Unique id; for external plugins the manager derives it from the file name. */
  name: string;
  version?: string;
  description?: string;
  /** Types served, by canonical type name. */
  types: Record<string, TypeDefinition>;
  /** JSON Schema of the plugin's own configuration (`config` in the server config). */
  configSchema?: Record<string, unknown>;
}

/**
 * A plugin known by its capabilities document (what `describePlugin` gives for its definition) whose code is
 * imported on first use: the registry decides lookups from `document`, and `load` runs once, on the plugin's
 * start or its first call. The built-in plugins are registered so, each its own chunk of the CLI (#15).
 */
export interface LazyPluginDefinition {
  /** The definition's `name`. */
  id: string;
  document: CapabilitiesDocument;
  load(): Promise<PluginDefinition>;
}
