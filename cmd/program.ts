// Builds the `ocm` command tree. Commands are thin: parse, call the library, render.
import { Command, CommanderError, Option } from "commander";
import type { Writable } from "node:stream";
import { LOG_LEVELS } from "../manager/index.js";
import { registerAddCommands } from "./commands/add.js";
import { registerCreateCommands } from "./commands/create.js";
import { registerDownloadCommands } from "./commands/download.js";
import { registerGetCommands } from "./commands/get.js";
import { registerHashCommands } from "./commands/hash.js";
import { registerPluginCommands } from "./commands/plugin.js";
import { registerSignCommands } from "./commands/sign.js";
import { registerTransferCommands } from "./commands/transfer.js";
import { registerVerifyCommands } from "./commands/verify.js";
import { createCommandContext, type GlobalOptions } from "./context.js";
import { EXIT, reportError } from "./errors.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function runCli(argv: string[], io: { stdout: Writable; stderr: Writable }): Promise<number> {
  const program = new Command("ocm")
    .description("Open Component Model toolkit")
    .version("0.1.0")
    .addOption(
      new Option("--plugin-dir <dir>", "search plugins in <dir> first (repeatable)").argParser(collect),
    )
    .addOption(
      new Option("--log-level <level>", "log level on stderr").choices([...LOG_LEVELS]).default("warn"),
    )
    .option("--config <file>", "ocm config file (default ~/.ocmconfig)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError();
  const context = createCommandContext(() => program.opts<GlobalOptions>(), io);
  for (const register of [
    registerAddCommands,
    registerCreateCommands,
    registerGetCommands,
    registerDownloadCommands,
    registerHashCommands,
    registerPluginCommands,
    registerSignCommands,
    registerVerifyCommands,
    registerTransferCommands,
  ]) {
    register(program, () => context);
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    return reportError(error, io.stderr);
  } finally {
    await context.close();
  }
}
