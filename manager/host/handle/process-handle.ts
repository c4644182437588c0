// A plugin that runs as its own executable: one PluginProcess, set up on the first start and spawned by
// the first call; capabilities and control routes are HTTP clients on its socket.
import type { CapabilityKind } from "../../../core/index.js";
import { getConnectionStatus, testConnection } from "../call/control.js";
import { createRemoteCapability } from "../call/remote-capability.js";
import type { PluginConnection } from "../process/connection.js";
import { PluginProcess, type PluginProcessOptions } from "../process/plugin-process.js";
import { createConfigGate } from "./config-gate.js";
import type { HandleContext, PluginHandle } from "./plugin-handle.js";

export interface ProcessHandleOptions {
  id: string;
  /** The plugin's configSchema from its capabilities document. */
  configSchema: Record<string, unknown> | undefined;
  /** What the process needs besides the plugin's configuration: the socket directory, the bounds. */
  prepare: (pluginConfig: { config: unknown } | undefined) => Promise<PluginProcessOptions>;
  /** Bound on a JSON answer, in bytes. */
  maxResponseBytes?: number | undefined;
}

/** The handle of an external plugin. */
export function createProcessHandle(options: ProcessHandleOptions, context: HandleContext): PluginHandle {
  const { id } = options;
  const gate = createConfigGate(id, options.configSchema, context);
  let pending: Promise<PluginProcess> | undefined;
  let current: PluginProcess | undefined;

  function processOf(): Promise<PluginProcess> {
    if (!pending) {
      // Concurrent first calls (a transfer copying two resources of one plugin) share one process: two
      // would both be launch 1 on the same socket path.
      const created = Promise.resolve()
        .then(() => options.prepare(gate.config()))
        .then((processOptions) => (current = new PluginProcess(processOptions)));
      pending = created;
      created.catch(() => {
        // A bad configuration stays failed (the gate); a socket directory that could not be made may not.
        if (pending === created && !gate.failure) pending = undefined;
      });
    }
    return pending;
  }

  const connect = async (): Promise<PluginConnection> => (await processOf()).connect();

  return {
    id,
    start: async () => void (await processOf()),
    checkConfig() {
      if (gate.failure || pending) return;
      try {
        gate.config();
      } catch {
        // Remembered by the gate; the plugin is in config error from now on.
      }
    },
    capability<K extends CapabilityKind>(type: string, capability: K) {
      return createRemoteCapability(capability, type, connect, {
        pluginId: id,
        maxResponseBytes: options.maxResponseBytes,
      });
    },
    status() {
      if (!current) return gate.runtime();
      const failure = current.failure;
      return {
        state: current.state,
        pid: current.pid,
        location: current.location,
        starts: current.starts,
        ...(failure ? { reason: failure.message, code: failure.code } : {}),
      };
    },
    connectionStatus: () => getConnectionStatus(connect),
    testConnection: (request, credentials) => testConnection(connect, request, credentials),
    async stop() {
      const proc = await pending?.catch(() => undefined);
      await proc?.stop();
    },
    killSync: () => current?.killSync(),
  };
}
