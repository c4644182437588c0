// `ocm hash cv`: the normalised form and digest of component versions.
import type { Command } from "commander";
import { normalise, digestDescriptor } from "../../core/index.js";
import { getComponentVersions } from "../../manager/index.js";
import type { CommandContext } from "../context.js";
import { parseOutputFormat, renderData, renderTable, type OutputFormat } from "../render.js";
import { componentTarget } from "../refs.js";
import { OcmError } from "../../core/index.js";

export function registerHashCommands(program: Command, context: () => CommandContext): void {
  const hash = program.command("hash").description("compute digests");
  hash
    .command("componentversions")
    .aliases(["cv", "cvs", "component-version", "componentversion"])
    .description("normalise component versions and print their digests")
    .argument("<ref>", "<repository>//<component>[:<version>]")
    .option("--normalisation <algorithm>", "normalisation algorithm", "jsonNormalisation/v3")
    .option("--hash <algorithm>", "hash algorithm", "SHA-256")
    .option("-o, --output <format>", "table, json, yaml or norm (the normalised text)", "table")
    .option("-r, --recursive", "also hash referenced component versions")
    .action(
      async (
        ref: string,
        opts: { normalisation: string; hash: string; output: string; recursive?: boolean },
      ) => {
        const norm = opts.output === "norm";
        const format: OutputFormat | "norm" = norm ? "norm" : parseOutputFormat(opts.output);
        const ctx = context();
        const descriptors = await getComponentVersions(ctx.manager(), {
          ...(await componentTarget(ctx, ref)),
          recursive: opts.recursive ?? false,
        });
        const results = descriptors.map((d) => {
          const descriptor = d as never;
          const digest = digestDescriptor(descriptor, {
            normalisation: opts.normalisation,
            hash: opts.hash as never,
          });
          return {
            component: d.component.name,
            version: d.component.version,
            ...digest,
            normalised: normalise(descriptor, opts.normalisation as never),
          };
        });
        if (format === "norm") {
          if (results.length !== 1) {
            throw new OcmError({
              code: "OCM_USAGE_INVALID",
              message: `-o norm prints one normalised descriptor, but the reference selects ${results.length}`,
              hint: "Name a version in the reference.",
            });
          }
          return void ctx.stdout.write(`${results[0]?.normalised}\n`);
        }
        if (format !== "table") return void ctx.stdout.write(renderData(results, format));
        ctx.stdout.write(
          renderTable(
            ["COMPONENT", "VERSION", "HASH", "NORMALISATION"],
            results.map((r) => [r.component, r.version, r.value, r.normalisationAlgorithm]),
          ),
        );
      },
    );
}
