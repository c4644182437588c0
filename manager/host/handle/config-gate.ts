// A plugin's own configuration as both kinds of handle take it: checked against its configSchema once it
// is needed, and a failure (bad configuration, failed init) remembered, so every later use fails at once
// with the same error instead of trying again.
import { toOcmError, type OcmError } from "../../../core/index.js";
import type { HandleContext, PluginRuntime } from "./plugin-handle.js";

export interface ConfigGate {
  /** The checked configuration; throws the remembered failure. */
  config(): { config: unknown } | undefined;
  /** Remembers `thrown` as the plugin's failure (the first one wins) and returns it. */
  fail(thrown: unknown): OcmError;
  readonly failure: OcmError | undefined;
  /** The runtime of a plugin in config error. */
  runtime(): PluginRuntime | undefined;
}

export function createConfigGate(
  id: string,
  schema: Record<string, unknown> | undefined,
  context: HandleContext,
): ConfigGate {
  let failure: OcmError | undefined;
  const gate: ConfigGate = {
    config() {
      if (failure) throw failure;
      try {
        return context.configOf(id, schema);
      } catch (error) {
        throw gate.fail(error);
      }
    },
    fail(thrown) {
      if (!failure) {
        failure = toOcmError(thrown, "OCM_PLUGIN_INIT_FAILED");
        context.onConfigError(id, failure);
      }
      return failure;
    },
    get failure() {
      return failure;
    },
    runtime() {
      if (!failure) return undefined;
      return { state: "config error", starts: 0, reason: failure.message, code: failure.code };
    },
  };
  return gate;
}
