// `ocm plugin install|uninstall|enable|disable`: plugins as products, installed from component versions
// into the first plugin directory (`--plugin-dir`, else `$OCM_PLUGIN_DIR`, the config, `~/.config/ocm/plugins`).
import type { Command } from "commander";
import { OcmError } from "../../core/index.js";
import { parseIdentity } from "../../core/model/index.js";
import { installPlugin, type InstallPluginResult } from "../../manager/install/install-plugin.js";
import { setPluginEnabled, uninstallPlugin } from "../../manager/install/manage-installed.js";
import { readKeyFile } from "../../manager/ops/read-key-file.js";
import type { CommandContext } from "../context.js";
import { componentTarget } from "../refs.js";
import { parseOutputFormat, renderData } from "../render.js";

interface InstallOptions {
  resource?: string;
  extraIdentity?: string;
  force?: boolean;
  verifySignature?: string;
  signature?: string;
  output: string;
}

/** Adds the install subcommands to `ocm plugin`. */
export function registerPluginInstallCommands(plugin: Command, context: () => CommandContext): void {
  plugin
    .command("install")
    .description("install the ocmPlugin resource for this os/architecture from a component version")
    .argument("<ref>", "<repository>//<component>:<version>")
    .option("--resource <name>", "the plugin resource's name, when the component ships several")
    .option("--extra-identity <k=v,...>", "more identity attributes the resource must have")
    .option("--force", "reinstall the same digest, and replace another file with the same plugin id")
    .option(
      "--verify-signature <public-key-file>",
      "refuse the plugin unless its component version's signature verifies with this RSA public key or certificate (PEM)",
    )
    .option("--signature <name>", "the signature to verify (default: the only one)")
    .option("-o, --output <format>", "text, json or yaml", "text")
    .action(async (ref: string, opts: InstallOptions) => {
      const format = opts.output === "text" ? "text" : parseOutputFormat(opts.output, ["json", "yaml"]);
      const target = await componentTarget(context(), ref, true);
      if (opts.signature && !opts.verifySignature) {
        throw new OcmError({
          code: "OCM_USAGE_INVALID",
          message: "--signature needs --verify-signature",
          hint: "Pass --verify-signature <public-key-file> to verify the plugin's signature.",
        });
      }
      const verifySignature = opts.verifySignature
        ? {
            publicKey: await readKeyFile(opts.verifySignature, "public key"),
            signature: opts.signature,
          }
        : undefined;
      const ctx = context();
      const manager = ctx.manager();
      const [pluginDir] = await manager.pluginDirs();
      const result = await installPlugin(manager, {
        repository: target.repository,
        component: target.component,
        version: target.version as string,
        pluginDir: pluginDir as string,
        resource: opts.resource,
        extraIdentity: opts.extraIdentity ? parseIdentity(opts.extraIdentity) : undefined,
        force: opts.force,
        verifySignature,
      });
      ctx.stdout.write(
        format === "text" ? describeInstall(result) : renderData(result, format as "json" | "yaml"),
      );
    });

  plugin
    .command("uninstall")
    .description("remove an installed plugin and its install record")
    .argument("<id>", "plugin id as shown by `ocm plugin list`")
    .action(async (id: string) => {
      const ctx = context();
      const path = await uninstallPlugin(await ctx.manager().pluginDirs(), id);
      ctx.stdout.write(`removed ${id} (${path})\n`);
    });

  for (const [name, enabled] of [
    ["enable", true],
    ["disable", false],
  ] as const) {
    plugin
      .command(name)
      .description(
        enabled ? "use a disabled plugin again" : "keep a plugin's file but never choose it (still listed)",
      )
      .argument("<id>", "plugin id as shown by `ocm plugin list`")
      .action(async (id: string) => {
        const ctx = context();
        const path = await setPluginEnabled(await ctx.manager().pluginDirs(), id, enabled);
        ctx.stdout.write(`${enabled ? "enabled" : "disabled"} ${id} (${path})\n`);
      });
  }
}

function describeInstall(result: InstallPluginResult): string {
  const from = `${result.provenance.component}:${result.provenance.version}`;
  if (result.status === "unchanged") {
    return `${result.id} is already installed from ${from} (${result.provenance.digest}); nothing to do\n`;
  }
  const what = [result.status, result.id, result.document?.version].filter(Boolean).join(" ");
  const was = result.previous ? ` (was ${result.previous.version})` : "";
  const signed = result.provenance.signature
    ? `; signature ${result.provenance.signature.name} verified (${result.provenance.signature.algorithm})`
    : "";
  return `${what} from ${from}${was} at ${result.path}${signed}\n`;
}
