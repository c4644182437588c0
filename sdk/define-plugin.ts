// The one call a plugin's main module makes: wraps its definition with the capabilities document and the CLI.
import { describePlugin } from "../core/describe-plugin.js";
import type { PluginDefinition } from "../core/plugin-definition.js";
import type { CapabilitiesDocument } from "../core/protocol/capabilities.js";
import { runPlugin } from "./cli/run-plugin.js";

/** A plugin ready to run as an executable. */
export interface Plugin {
  /** The definition as given; register it in-process with the manager to run the plugin without a process. */
  readonly definition: PluginDefinition;
  /** The document `<plugin> capabilities` prints. */
  capabilities(): CapabilitiesDocument;
  /**
   * Runs the command line: `capabilities` prints the document and exits; `server --config '<json>'`
   * serves over a unix socket or loopback TCP until stopped. Resolves once the server is ready.
   */
  run(argv?: readonly string[]): Promise<void>;
}

/** Wraps a plugin definition for use as an executable: `definePlugin(def).run(process.argv)`. */
export function definePlugin(definition: PluginDefinition): Plugin {
  return {
    definition,
    capabilities: () => describePlugin(definition),
    run: (argv = process.argv) => runPlugin(definition, argv),
  };
}
