// `ocm download resource`: write one resource's bytes to a file, verified against its digest.
import type { Command } from "commander";
import { parseIdentity } from "../../core/model/index.js";
import { downloadResource } from "../../manager/ops/download-resource.js";
import type { CommandContext } from "../context.js";
import { componentTarget } from "../refs.js";

export function registerDownloadCommands(program: Command, context: () => CommandContext): void {
  const download = program.command("download").description("download content from a repository");
  download
    .command("resources")
    .aliases(["resource", "res", "r"])
    .description("download the bytes of one resource")
    .argument("<ref>", "<repository>//<component>:<version>")
    .argument("[name]", "resource name (shorthand for --identity name=<name>)")
    .option("--identity <identity>", "resource identity: name=<name>[,key=value...]")
    .requiredOption("-O, --outfile <path>", "file to write")
    .action(async (ref: string, name: string | undefined, opts: { identity?: string; outfile: string }) => {
      const ctx = context();
      const target = await componentTarget(ctx, ref, true);
      const identity = { ...(opts.identity ? parseIdentity(opts.identity) : {}), ...(name ? { name } : {}) };
      const result = await downloadResource(ctx.manager(), {
        repository: target.repository,
        component: target.component,
        version: target.version as string,
        identity,
        output: opts.outfile,
      });
      ctx.stdout.write(`${result.path}: ${result.size} bytes, ${result.mediaType}, ${result.digest}\n`);
    });
}
