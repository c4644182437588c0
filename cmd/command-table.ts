// The top-level commands of `ocm`, each loaded only when the command line names it: its module (and
// everything that module imports) is a separate chunk of the bundle. The names and descriptions here are
// what `ocm --help` lists without loading any of them; a test keeps them equal to the modules' own.
import type { Command } from "commander";
import type { CommandContext } from "./context.js";

/** What each command module exports: adds its command (and subcommands) to the program. */
export type RegisterCommands = (program: Command, context: () => CommandContext) => void;

export interface CommandEntry {
  name: string;
  description: string;
  /** The term `ocm --help` shows, when it is more than the name. */
  term?: string;
  load(): Promise<RegisterCommands>;
}

/** In the order `ocm --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "add",
    description: "add elements to a repository",
    load: async () => (await import("./commands/add.js")).registerAddCommands,
  },
  {
    name: "create",
    description: "create keys and other local files",
    load: async () => (await import("./commands/create.js")).registerCreateCommands,
  },
  {
    name: "get",
    description: "read elements from a repository",
    load: async () => (await import("./commands/get.js")).registerGetCommands,
  },
  {
    name: "download",
    description: "download content from a repository",
    load: async () => (await import("./commands/download.js")).registerDownloadCommands,
  },
  {
    name: "hash",
    description: "compute digests",
    load: async () => (await import("./commands/hash.js")).registerHashCommands,
  },
  {
    name: "plugin",
    description: "inspect and manage plugins",
    load: async () => (await import("./commands/plugin.js")).registerPluginCommands,
  },
  {
    name: "sign",
    description: "sign elements",
    load: async () => (await import("./commands/sign.js")).registerSignCommands,
  },
  {
    name: "verify",
    description: "verify signatures",
    load: async () => (await import("./commands/verify.js")).registerVerifyCommands,
  },
  {
    name: "transfer",
    description: "copy component versions and their blobs from one repository to another",
    term: "transfer [options] <refs...>",
    load: async () => (await import("./commands/transfer.js")).registerTransferCommands,
  },
];

/**
 * The command `argv` runs, found as commander would: the first operand after the program's own options
 * (skipping the value of an option that takes one), or the operand after `help`. Undefined when there is
 * none or it names no command.
 */
export function findCommand(program: Command, argv: readonly string[]): CommandEntry | undefined {
  let afterHelp = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") return undefined;
    if (arg.startsWith("-") && arg !== "-") {
      const flag = arg.split("=", 1)[0];
      const option = program.options.find((o) => o.long === flag || o.short === flag);
      if (option?.required && !arg.includes("=")) i++;
      continue;
    }
    if (arg === "help" && !afterHelp) {
      afterHelp = true;
      continue;
    }
    return COMMANDS.find((entry) => entry.name === arg);
  }
  return undefined;
}

/** The term `ocm --help` shows for a listed command (as the loaded command gives it), or undefined. */
export function listedTerm(command: Command): string | undefined {
  const entry = COMMANDS.find((e) => e.name === command.name());
  return entry && (entry.term ?? entry.name);
}
