// `ocm download resources`: one resource's bytes to a file, or every resource (of a type) into a
// directory, each verified against its digest.
import type { Command } from "commander";
import { OcmError, parseIdentity } from "../../core/index.js";
import { downloadResource, downloadResources } from "../../manager/index.js";
import type { CommandContext } from "../context.js";
import { componentTarget } from "../refs.js";

interface DownloadFlags {
  identity?: string;
  type?: string;
  outfile: string;
}

export function registerDownloadCommands(program: Command, context: () => CommandContext): void {
  const download = program.command("download").description("download content from a repository");
  download
    .command("resources")
    .aliases(["resource", "res", "r"])
    .description(
      "download one resource's bytes to a file, or without a name every resource (of --type) into a directory",
    )
    .argument("<ref>", "<repository>//<component>:<version>")
    .argument("[name]", "resource name (shorthand for --identity name=<name>)")
    .option("--identity <identity>", "resource identity: name=<name>[,key=value...]")
    .option("--type <type>", "without a name: only resources of this type, e.g. blob")
    .requiredOption("-O, --outfile <path>", "file to write; without a name, the directory to write into")
    .action(async (ref: string, name: string | undefined, opts: DownloadFlags) => {
      const ctx = context();
      const target = await componentTarget(ctx, ref, true);
      const where = { ...target, version: target.version as string };
      const selects = name !== undefined || opts.identity !== undefined;
      if (selects && opts.type !== undefined) {
        throw new OcmError({
          code: "OCM_USAGE_INVALID",
          message: "--type selects among all resources, but a resource is named",
          hint: `Drop --type to download the named resource, or drop the name to download every resource of type ${opts.type}.`,
        });
      }
      if (!selects) {
        const files = await downloadResources(ctx.manager(), {
          ...where,
          type: opts.type,
          directory: opts.outfile,
        });
        for (const file of files) {
          ctx.stdout.write(`${file.path}: ${file.size} bytes, ${file.mediaType}, ${file.digest}\n`);
        }
        return;
      }
      const identity = { ...(opts.identity ? parseIdentity(opts.identity) : {}), ...(name ? { name } : {}) };
      const result = await downloadResource(ctx.manager(), { ...where, identity, output: opts.outfile });
      ctx.stdout.write(`${result.path}: ${result.size} bytes, ${result.mediaType}, ${result.digest}\n`);
    });
}
