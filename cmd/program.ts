// Builds the `ocm` command tree. Commands are thin: parse, call the library, render. Only the command the
// command line names is loaded (ADR 0005): `ocm --version` and `ocm --help` load commander and nothing else.
import { Command, CommanderError, Help, Option } from "commander";
import type { Writable } from "node:stream";
import type { LogLevel } from "../manager/index.js";
import type { CommandContext } from "./context.js";
import { COMMANDS, findCommand, listedTerm } from "./command-table.js";
import { EXIT } from "./exit-codes.js";
import { OCM_VERSION } from "./version.js";

// The manager's log levels, spelled out so that `--help` loads no logger; the type keeps them complete.
const LOG_LEVELS: Record<LogLevel, true> = {
  trace: true,
  debug: true,
  info: true,
  warn: true,
  error: true,
  silent: true,
};

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function runCli(argv: string[], io: { stdout: Writable; stderr: Writable }): Promise<number> {
  const program = new Command("ocm")
    .description("Open Component Model toolkit")
    .version(OCM_VERSION)
    .addOption(
      new Option("--plugin-dir <dir>", "search plugins in <dir> first (repeatable)").argParser(collect),
    )
    .addOption(
      new Option("--log-level <level>", "log level on stderr")
        .choices(Object.keys(LOG_LEVELS))
        .default("warn"),
    )
    .option("--config <file>", "ocm config file (default ~/.ocmconfig)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError();
  const chosen = findCommand(program, argv);
  let context: (CommandContext & { close(): Promise<void> }) | undefined;
  const loaded = chosen && (await Promise.all([chosen.load(), import("./context.js")]));
  // Every command is listed in its place; only the chosen one is loaded, the others are a name and a
  // description, which is all `--help`, `--version` and an unknown name need.
  for (const entry of COMMANDS) {
    if (entry === chosen && loaded) {
      const [register, { createCommandContext }] = loaded;
      const created = createCommandContext(() => program.opts(), io);
      context = created;
      register(program, () => created);
    } else {
      program.command(entry.name).description(entry.description);
    }
  }
  program.configureHelp({
    subcommandTerm(command) {
      return listedTerm(command) ?? Help.prototype.subcommandTerm.call(this, command);
    },
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    const { reportError } = await import("./errors.js");
    return reportError(error, io.stderr);
  } finally {
    await context?.close();
  }
}
