// Issue #15: `ocm` loads only the command the command line names, and lists the others from a table. The
// table must say what the commands themselves say, and a command must work wherever its name stands.
import { Command, Help } from "commander";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../cmd/command-table.js";
import { ocmCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";

const CTF = join(REPO_ROOT, "test/fixtures/ocm/ctf-v0.20-localblob/transport-archive");

describe("the command table", () => {
  it("lists each command with the description and term its own module gives it", async () => {
    const help = new Help();
    for (const entry of COMMANDS) {
      const program = new Command("ocm");
      (await entry.load())(program, () => {
        throw new Error("no command runs here");
      });
      expect(program.commands.map((c) => c.name())).toEqual([entry.name]);
      const command = program.commands[0] as Command;
      expect(command.description(), entry.name).toBe(entry.description);
      expect(help.subcommandTerm(command), entry.name).toBe(entry.term ?? entry.name);
    }
  });

  it("runs a command named after global options, and shows a command's own help through `help`", async () => {
    const ocm = await ocmCli();
    const listed = await ocm(
      "--log-level",
      "error",
      "--plugin-dir",
      join(ocm.home, "plugins"),
      "get",
      "cv",
      CTF,
    );
    expect(listed.stderr).toBe("");
    expect(listed.stdout).toContain("github.com/acme.org/helloworld");
    const help = await ocm("help", "get");
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain("Usage: ocm get [options] [command]");
    expect(help.stdout).toContain("componentversions");
  });

  it("lists every command on --help and rejects an unknown one with exit code 2", async () => {
    const ocm = await ocmCli();
    const help = await ocm("--help");
    expect(help.exitCode).toBe(0);
    for (const entry of COMMANDS) expect(help.stdout).toContain(`  ${entry.term ?? entry.name} `);
    expect(help.stdout).toContain("  help [command] ");
    // A mistake in the program's own options while a command is loaded still lists every command.
    const bad = await ocm("--log-level", "loud", "get", "cv", CTF);
    expect(bad.exitCode).toBe(2);
    for (const entry of COMMANDS) expect(bad.stderr).toContain(`  ${entry.term ?? entry.name} `);
    const unknown = await ocm("nope");
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'nope'");
  });
});
