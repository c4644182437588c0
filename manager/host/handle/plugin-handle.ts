// One plugin as the manager holds it, whether its code runs in this process or behind a socket: the
// registry stores one handle per plugin and the manager drives every plugin through it (ADR 0001,
// "One handle, two implementations").
import type {
  CapabilityKind,
  CapabilityMap,
  ConnectionStatus,
  OcmError,
  TestConnectionRequest,
  TestConnectionResult,
} from "../../../core/index.js";
import type { ProcessState } from "../process/plugin-process.js";
import type { RemoteInstanceState } from "./remote-instances.js";

/** What runs of a plugin, for `ocm plugin list`: its process, or why it cannot run. */
export interface PluginRuntime {
  /** `reachable`/`unreachable`: a remote plugin with some or none of its instances answering. */
  state: ProcessState | "config error" | "reachable" | "unreachable";
  pid?: number | undefined;
  location?: string | undefined;
  /** How many times its process started. */
  starts: number;
  /** Why it is broken or in config error. */
  reason?: string;
  code?: string;
  /** A remote plugin's instances: how many are up (active) and each one's state. */
  remote?: { active: number; instances: RemoteInstanceState[] };
}

/** What a handle needs from the manager: the plugin's configuration, and where a failure is reported. */
export interface HandleContext {
  /** The plugin's own configuration, checked against its configSchema (throws OCM_PLUGIN_CONFIG_INVALID). */
  configOf(id: string, schema: Record<string, unknown> | undefined): { config: unknown } | undefined;
  /** Called once when the plugin's configuration or init failed: it stays failed in this process. */
  onConfigError(id: string, error: OcmError): void;
}

export interface PluginHandle {
  readonly id: string;
  /**
   * Readies the plugin for calls; concurrent callers share one start. An in-process plugin runs its init
   * hook with its configuration; an external one checks its configuration and sets up its process, which
   * the first call spawns (lazy start). A configuration or init that failed stays failed (config error).
   */
  start(): Promise<void>;
  /** Checks the plugin's configuration without starting it; a bad one is a config error from then on. */
  checkConfig(): void;
  /** The plugin's `capability` for the canonical `type`; in-process or remote, the same interface. */
  capability<K extends CapabilityKind>(type: string, capability: K): CapabilityMap[K];
  /** What runs of the plugin or why it cannot; undefined for an in-process plugin that is fine. */
  status(): PluginRuntime | undefined;
  /** The control route `GET /v1/status`, validated on both sides of the wire alike. */
  connectionStatus(): Promise<ConnectionStatus>;
  /** The control route `POST /v1/test-connection` with the credentials of the spec's target. */
  testConnection(
    request: TestConnectionRequest,
    credentials?: Record<string, string>,
  ): Promise<TestConnectionResult>;
  /** Stops the plugin (its close hook, or SIGTERM then SIGKILL to its process group); later calls fail. */
  stop(): Promise<void>;
  /** Synchronous best effort for the host's `exit`: SIGTERM to a running process group, no waiting. */
  killSync(): void;
}
