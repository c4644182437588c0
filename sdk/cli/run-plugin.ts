// The plugin executable's entry: dispatches `capabilities` and `server`, and turns start failures into the
// reserved exit codes (core/protocol/exit-codes.ts).
import { describePlugin } from "../../core/describe-plugin.js";
import { validate } from "../../core/invoke.js";
import type { PluginDefinition } from "../../core/plugin-definition.js";
import { capabilitiesDocumentSchema } from "../../core/protocol/capabilities.js";
import { PLUGIN_EXIT } from "../../core/protocol/exit-codes.js";
import { log } from "../log.js";
import { startServer } from "../start/start-server.js";
import { USAGE, parseArgs } from "./parse-args.js";
import { PluginExit } from "./plugin-exit.js";

/**
 * Runs the command in `argv` (`[node, script, ...args]`). `capabilities` exits when printed; `server`
 * resolves once the plugin is ready and exits the process when it stops. Failures exit with their code.
 */
export async function runPlugin(definition: PluginDefinition, argv: readonly string[]): Promise<void> {
  try {
    const command = parseArgs(argv.slice(2));
    if (command.name === "server") return await startServer(definition, command.config);
    if (command.name === "help") return exitAfter(process.stdout, `${USAGE}\n`, PLUGIN_EXIT.OK);
    const document = validate(
      capabilitiesDocumentSchema,
      describePlugin(definition),
      "OCM_DISCOVERY_INVALID_CAPABILITIES",
      "the plugin definition yields an invalid capabilities document",
    );
    return exitAfter(process.stdout, `${JSON.stringify(document)}\n`, PLUGIN_EXIT.OK);
  } catch (error) {
    if (error instanceof PluginExit && error.exitCode === PLUGIN_EXIT.USAGE) {
      return exitAfter(process.stderr, `${error.message}\n`, error.exitCode);
    }
    if (error instanceof PluginExit) {
      log.error(error.message, error.fields);
      return exitAfter(process.stderr, "", error.exitCode);
    }
    log.error("internal error", { err: error });
    return exitAfter(process.stderr, "", PLUGIN_EXIT.INTERNAL);
  }
}

/** Exits once `text` is handed to the OS, so a pipe reader gets all of it. */
function exitAfter(stream: NodeJS.WriteStream, text: string, code: number): Promise<never> {
  return new Promise<never>(() => {
    stream.write(text, () => process.exit(code));
  });
}
