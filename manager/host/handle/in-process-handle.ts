// A plugin whose code runs in the host's own process: the same PluginDefinition the SDK serves over a
// socket, with its calls and its control routes validated by the same schemas as on the wire.
import {
  OcmError,
  connectionStatusSchema,
  testConnectionRequestSchema,
  testConnectionResultSchema,
  validate,
  type CapabilityMap,
  type PluginDefinition,
} from "../../../core/index.js";
import { createInProcessCapability } from "../call/in-process-capability.js";
import { createConfigGate } from "./config-gate.js";
import type { HandleContext, PluginHandle } from "./plugin-handle.js";

/** The handle of an in-process plugin; its init hook runs on the first start, its close hook on stop. */
export function createInProcessHandle(definition: PluginDefinition, context: HandleContext): PluginHandle {
  const id = definition.name;
  const gate = createConfigGate(id, definition.configSchema, context);
  let initialised: Promise<void> | undefined;

  function start(): Promise<void> {
    if (!initialised) {
      // Once per process: a failed init stays failed, and every later call gets its error at once.
      initialised = Promise.resolve()
        .then(() => definition.init?.(gate.config()?.config))
        .then(
          () => undefined,
          (error: unknown) => Promise.reject(gate.fail(error)),
        );
      initialised.catch(() => undefined);
    }
    return initialised;
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
      const impl = definition.types[type]?.capabilities[capability] as CapabilityMap[typeof capability];
      return createInProcessCapability(capability, impl);
    },
    status: () => gate.runtime(),
    async connectionStatus() {
      await start();
      const status: unknown = definition.connectionStatus
        ? await definition.connectionStatus()
        : { status: "unknown" };
      return validate(
        connectionStatusSchema,
        status,
        "OCM_RPC_BAD_RESPONSE",
        `invalid connection status from plugin ${id}`,
      );
    },
    async testConnection(request, credentials) {
      if (!definition.testConnection) {
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
      const result: unknown = await definition.testConnection(checked, credentials ? { credentials } : {});
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
      if (ran) await definition.close?.();
    },
    killSync: () => undefined,
  };
}
