// A plugin whose code runs in the host's own process: the same PluginDefinition the SDK serves over a
// socket, with its calls and its control routes validated by the same schemas as on the wire. Its code is
// imported on its start or first call (a lazy registration, #15); until then its document answers for it.
import {
  OcmError,
  connectionStatusSchema,
  testConnectionRequestSchema,
  testConnectionResultSchema,
  validate,
  type CapabilityKind,
  type CapabilityMap,
  type LazyPluginDefinition,
  type PluginDefinition,
} from "../../../core/index.js";
import { createDeferredCapability, createInProcessCapability } from "../call/in-process-capability.js";
import { createConfigGate } from "./config-gate.js";
import type { HandleContext, PluginHandle } from "./plugin-handle.js";

/** The handle of an in-process plugin; its init hook runs on the first start, its close hook on stop. */
export function createInProcessHandle(plugin: LazyPluginDefinition, context: HandleContext): PluginHandle {
  const { id, document } = plugin;
  const gate = createConfigGate(id, document.configSchema, context);
  let definition: PluginDefinition | undefined;
  let loading: Promise<PluginDefinition> | undefined;
  let initialised: Promise<void> | undefined;

  /** Imports the plugin's code once: concurrent first uses share it, and its failure is an init failure. */
  function load(): Promise<PluginDefinition> {
    loading ??= Promise.resolve()
      .then(() => plugin.load())
      .then(
        (loaded) => (definition = loaded),
        (error: unknown) => Promise.reject(gate.fail(error)),
      );
    return loading;
  }

  function start(): Promise<void> {
    if (!initialised) {
      // Once per process: a failed init stays failed, and every later call gets its error at once.
      initialised = load()
        .then((loaded) => loaded.init?.(gate.config()?.config))
        .then(
          () => undefined,
          (error: unknown) => Promise.reject(gate.fail(error)),
        );
      initialised.catch(() => undefined);
    }
    return initialised;
  }

  function implementation<K extends CapabilityKind>(loaded: PluginDefinition, type: string, capability: K) {
    return loaded.types[type]?.capabilities[capability] as CapabilityMap[K];
  }

  return {
    id,
    start,
    checkConfig() {
      if (gate.failure || initialised) return;
      try {
        gate.config();
      } catch {
        // Remembered by the gate; the plugin is in config error from now on.
      }
    },
    capability(type, capability) {
      // A started plugin's code is here; before that, each method imports it first.
      if (definition) {
        return createInProcessCapability(capability, implementation(definition, type, capability));
      }
      return createDeferredCapability(capability, async () =>
        createInProcessCapability(capability, implementation(await load(), type, capability)),
      );
    },
    status: () => gate.runtime(),
    async connectionStatus() {
      await start();
      const loaded = await load();
      const status: unknown = loaded.connectionStatus
        ? await loaded.connectionStatus()
        : { status: "unknown" };
      return validate(
        connectionStatusSchema,
        status,
        "OCM_RPC_BAD_RESPONSE",
        `invalid connection status from plugin ${id}`,
      );
    },
    async testConnection(request, credentials) {
      if (!document.connection?.test) {
        throw new OcmError({
          code: "OCM_RPC_NOT_FOUND",
          message: `plugin ${id} does not implement test-connection`,
          hint: "Its capabilities document says which control routes it serves.",
        });
      }
      const checked = validate(
        testConnectionRequestSchema,
        request,
        "OCM_RPC_BAD_REQUEST",
        "invalid test-connection request",
      );
      await start();
      const loaded = await load();
      const result: unknown = await loaded.testConnection?.(checked, credentials ? { credentials } : {});
      return validate(
        testConnectionResultSchema,
        result,
        "OCM_RPC_BAD_RESPONSE",
        `invalid test-connection result from plugin ${id}`,
      );
    },
    async stop() {
      const pending = initialised;
      if (!pending) return;
      // Only a plugin whose init succeeded is closed; one whose init failed never ran.
      const ran = await pending.then(
        () => true,
        () => false,
      );
      if (ran) await definition?.close?.();
    },
    killSync: () => undefined,
  };
}
