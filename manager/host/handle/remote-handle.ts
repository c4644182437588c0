// A plugin that runs as a service somewhere else (ADR 0009): the host never starts or stops it, and calls
// it with the same routes, bodies, errors and streams as a launched plugin, through the same remote
// capability clients, on a connection to the next healthy instance.
import type { CapabilityKind } from "../../../core/index.js";
import { getConnectionStatus, testConnection } from "../call/control.js";
import { createRemoteCapability } from "../call/remote-capability.js";
import type { RemoteSettings } from "../config/remote-settings.js";
import type { PluginHandle, PluginRuntime } from "./plugin-handle.js";
import type { RemoteInstances } from "./remote-instances.js";

export interface RemoteHandleOptions {
  id: string;
  settings: RemoteSettings;
  instances: RemoteInstances;
  /** Bound on a JSON answer, in bytes. */
  maxResponseBytes?: number | undefined;
}

/** The handle of a remote plugin. */
export function createRemoteHandle(options: RemoteHandleOptions): PluginHandle {
  const { id, instances } = options;
  const connect = () => instances.pick();
  let stopped = false;
  return {
    id,
    // Nothing to start: the first call connects.
    start: async () => undefined,
    checkConfig: () => undefined,
    capability<K extends CapabilityKind>(type: string, capability: K) {
      return createRemoteCapability(capability, type, connect, {
        pluginId: id,
        maxResponseBytes: options.maxResponseBytes,
        forwardCredentials: options.settings.forwardCredentials,
      });
    },
    status(): PluginRuntime {
      const states = instances.states();
      const active = states.filter((s) => s.up).length;
      return {
        state: active > 0 ? "reachable" : "unreachable",
        location: options.settings.urls.join(" "),
        starts: 0,
        remote: { active, instances: states },
        ...(active > 0
          ? {}
          : {
              reason: `no instance answers (${states.map((s) => `${s.url}: ${s.reason ?? "out"}`).join("; ")})`,
            }),
        ...(active > 0 ? {} : { code: "OCM_PLUGIN_REMOTE_UNAVAILABLE" }),
      };
    },
    connectionStatus: () => getConnectionStatus(connect),
    testConnection: (request, credentials) =>
      testConnection(connect, request, options.settings.forwardCredentials ? credentials : undefined),
    async stop() {
      // Only this host's connections end; the service keeps running for its other users.
      if (stopped) return;
      stopped = true;
      await instances.close();
    },
    killSync: () => undefined,
  };
}
