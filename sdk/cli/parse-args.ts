// The two commands a plugin answers (ADR 0001 "Two commands"); anything else is a usage error (exit 64).
import { PLUGIN_EXIT } from "../../core/protocol/exit-codes.js";
import { PluginExit } from "./plugin-exit.js";

export type PluginCommand = { name: "capabilities" } | { name: "server"; config: string } | { name: "help" };

/** How to call a plugin, printed with usage errors. */
export const USAGE = [
  "Usage:",
  "  <plugin> capabilities                 print the capabilities document as JSON",
  "  <plugin> server --config '<json>'     serve the plugin (see schemas/server-config.schema.json)",
].join("\n");

/** Parses the arguments after the executable and script (`process.argv.slice(2)`). */
export function parseArgs(args: readonly string[]): PluginCommand {
  const [command, ...rest] = args;
  if (command === "capabilities" && rest.length === 0) return { name: "capabilities" };
  if ((command === "help" || command === "--help" || command === "-h") && rest.length === 0)
    return { name: "help" };
  if (command === "server") return { name: "server", config: parseServerArgs(rest) };
  throw usageError(
    command === undefined ? "missing command" : `unknown command or arguments: ${args.join(" ")}`,
  );
}

function parseServerArgs(rest: readonly string[]): string {
  let config: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    let value: string | undefined;
    if (arg === "--config") {
      value = rest[++i];
      if (value === undefined) throw usageError("--config needs a JSON value");
    } else if (arg.startsWith("--config=")) {
      value = arg.slice("--config=".length);
    } else {
      throw usageError(`unknown server argument ${JSON.stringify(arg)}`);
    }
    if (config !== undefined) throw usageError("--config given twice");
    config = value;
  }
  if (config === undefined) throw usageError("server needs --config '<json>'");
  return config;
}

function usageError(message: string): PluginExit {
  return new PluginExit(PLUGIN_EXIT.USAGE, `${message}\n${USAGE}`);
}
