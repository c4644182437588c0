// `ocm add component-version`: build component versions from a constructor into a repository.
import { Option, type Command } from "commander";
import { ON_EXISTING, addComponentVersions, type OnExisting } from "../../manager/index.js";
import type { CommandContext } from "../context.js";
import { parseOutputFormat, renderData, renderTable } from "../render.js";
import { repositoryTarget } from "../refs.js";

export function registerAddCommands(program: Command, context: () => CommandContext): void {
  const add = program.command("add").description("add elements to a repository");
  add
    .command("component-version")
    .aliases(["cv", "componentversions", "componentversion", "cvs"])
    .description("build component versions from a constructor file and add them to a repository")
    .requiredOption("--repository <ref>", "target repository, e.g. ./archive or <type>::<spec>")
    .requiredOption("--constructor <file>", "component constructor YAML file")
    .option("--create", "create the repository if it does not exist")
    .addOption(
      new Option("--type <format>", "archive format when creating a CTF (else by its name)").choices([
        "directory",
        "tar",
        "tgz",
      ]),
    )
    .addOption(
      new Option("--on-existing <action>", "a version the repository holds already: fail, skip or replace")
        .choices([...ON_EXISTING])
        .default("fail"),
    )
    .option("-o, --output <format>", "table, json or yaml", "table")
    .action(
      async (opts: {
        repository: string;
        constructor: string;
        create?: boolean;
        type?: string;
        onExisting: OnExisting;
        output: string;
      }) => {
        const format = parseOutputFormat(opts.output);
        const ctx = context();
        const repository = await repositoryTarget(
          ctx,
          opts.repository,
          opts.create ? { format: opts.type } : undefined,
        );
        const added = await addComponentVersions(ctx.manager(), {
          repository,
          constructorPath: opts.constructor,
          onExisting: opts.onExisting,
          events: ctx.events(),
        });
        if (format !== "table") {
          ctx.stdout.write(renderData({ added }, format));
          return;
        }
        ctx.stdout.write(
          renderTable(
            ["COMPONENT", "VERSION", "RESOURCES", "BYTES", "ACTION"],
            added.map((a) => [a.component, a.version, String(a.resources), String(a.bytes), a.action]),
          ),
        );
      },
    );
}
