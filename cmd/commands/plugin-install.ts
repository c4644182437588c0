// `ocm plugin install|uninstall|enable|disable`: plugins as products, installed from component versions
// into the first plugin directory (`--plugin-dir`, else `$OCM_PLUGIN_DIR`, the config, `~/.config/ocm/plugins`).
import type { Command } from "commander";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import {
  OcmError,
  escapeControls,
  parseIdentity,
  parseScopeName,
  redactUrls,
  scopeName,
} from "../../core/index.js";
import {
  installPlugin,
  isVersionConstraint,
  readKeyFile,
  setPluginEnabled,
  setScopeEnabled,
  uninstallPlugin,
  updatePlugins,
  type InstallPluginResult,
  type PluginUpdate,
} from "../../manager/index.js";
import type { CommandContext } from "../context.js";
import { componentTarget } from "../refs.js";
import { parseOutputFormat, renderData } from "../render.js";

interface InstallOptions {
  semver?: string;
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
    .argument(
      "<ref>",
      "<repository>//<component>[:<version or constraint>], e.g. ./plugins.ctf//acme.org/x:^1.2 (no version: the latest)",
    )
    .option("--semver <constraint>", 'install the highest version in a semver range, e.g. ">=1.2 <2"')
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
      const target = await componentTarget(context(), ref);
      const { version, constraint } = versionOrConstraint(target.version, opts.semver);
      const verifySignature = await signatureOptions(opts);
      const ctx = context();
      const manager = ctx.manager();
      const [pluginDir] = await manager.pluginDirs();
      const result = await installPlugin(manager, {
        repository: target.repository,
        component: target.component,
        version,
        constraint,
        pluginDir: pluginDir as string,
        resource: opts.resource,
        extraIdentity: opts.extraIdentity ? parseIdentity(opts.extraIdentity) : undefined,
        force: opts.force,
        verifySignature,
        events: ctx.events(),
      });
      ctx.stdout.write(
        format === "text" ? describeInstall(result) : renderData(result, format as "json" | "yaml"),
      );
    });

  plugin
    .command("update")
    .description(
      "install newer versions of installed plugins from where they came from (within the constraint they were installed with)",
    )
    .argument(
      "[id]",
      "plugin id as shown by `ocm plugin list` (default: every plugin with an install record)",
    )
    .option(
      "--verify-signature <public-key-file>",
      "verify each new version's signature with this key (required for plugins installed with one)",
    )
    .option("--signature <name>", "the signature to verify (default: the only one)")
    .option("-o, --output <format>", "text, json or yaml", "text")
    .action(async (id: string | undefined, opts: Omit<InstallOptions, "resource" | "extraIdentity">) => {
      const format = opts.output === "text" ? "text" : parseOutputFormat(opts.output, ["json", "yaml"]);
      const ctx = context();
      const manager = ctx.manager();
      const results = await updatePlugins(manager, {
        pluginDirs: await manager.pluginDirs(),
        id,
        verifySignature: await signatureOptions(opts),
      });
      ctx.stdout.write(
        format === "text"
          ? describeUpdates(results)
          : renderData({ plugins: results }, format as "json" | "yaml"),
      );
      const failed = results.filter((r) => r.status === "failed");
      if (failed.length) {
        throw new OcmError({
          code: "OCM_INSTALL_UPDATE_FAILED",
          message: `${failed.length} of ${results.length} plugin${results.length === 1 ? "" : "s"} could not be updated: ${failed.map((r) => r.id).join(", ")}`,
          hint: "Each kept its installed version; read the reason printed for it above.",
        });
      }
    });

  plugin
    .command("uninstall")
    .description("remove an installed plugin and its install record")
    .argument("<id>", "plugin id as shown by `ocm plugin list`")
    .action(async (id: string) => {
      const ctx = context();
      const path = await uninstallPlugin(await ctx.manager().pluginDirs(), id, ctx.events());
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
      .option(
        "--scope <pattern>",
        "only for events and actions of this scope: <repository glob>[//<component glob>], written to the ocm config",
      )
      .action(async (id: string, opts: { scope?: string }) => {
        const ctx = context();
        if (opts.scope !== undefined) {
          const file = resolve(ctx.configFile() ?? join(homedir(), ".ocmconfig"));
          const scope = absoluteScope(opts.scope);
          await setScopeEnabled(file, id, scope, enabled);
          ctx.stdout.write(
            `${enabled ? "enabled" : "disabled"} ${id} for events of scope ${scope} (${file})\n`,
          );
          return;
        }
        const path = await setPluginEnabled(await ctx.manager().pluginDirs(), id, enabled);
        ctx.stdout.write(`${enabled ? "enabled" : "disabled"} ${id} (${path})\n`);
      });
  }
}

/** A scope whose repository part is a relative path (`./archive`) names that path absolutely, as events do. */
function absoluteScope(scope: string): string {
  const { repository, component } = parseScopeName(scope);
  if (repository === undefined || !/^\.\.?(\/|$)/.test(repository)) return scope;
  return scopeName({ repository: resolve(repository), ...(component === undefined ? {} : { component }) });
}

/** The public key and signature name of --verify-signature and --signature, if given. */
async function signatureOptions(opts: { verifySignature?: string; signature?: string }) {
  if (opts.signature && !opts.verifySignature) {
    throw new OcmError({
      code: "OCM_USAGE_INVALID",
      message: "--signature needs --verify-signature",
      hint: "Pass --verify-signature <public-key-file> to verify the plugin's signature.",
    });
  }
  return opts.verifySignature
    ? { publicKey: await readKeyFile(opts.verifySignature, "public key"), signature: opts.signature }
    : undefined;
}

/** The exact version, or the constraint, to install: from the reference's version part or --semver. */
function versionOrConstraint(
  version: string | undefined,
  semver: string | undefined,
): { version?: string; constraint?: string } {
  if (semver !== undefined && version !== undefined) {
    throw new OcmError({
      code: "OCM_USAGE_INVALID",
      message: `the reference names ${JSON.stringify(version)} and --semver ${JSON.stringify(semver)}; give one`,
      hint: "Drop the version from the reference, or drop --semver.",
    });
  }
  if (semver !== undefined) return { constraint: semver };
  if (version === undefined) return {};
  return isVersionConstraint(version) ? { constraint: version } : { version };
}

function describeUpdates(results: PluginUpdate[]): string {
  if (results.length === 0) return "no installed plugin has an install record; nothing to update\n";
  return results
    .map((r) => {
      const within = r.constraint ? ` (within ${r.constraint})` : "";
      if (r.status === "up-to-date") return `${r.id}: up to date at ${r.from}${within}\n`;
      if (r.status === "updated") return `${r.id}: updated from ${r.from} to ${r.to ?? "?"}${within}\n`;
      const why = r.error
        ? `${r.error.message}${r.error.hint ? ` (${r.error.hint})` : ""}`
        : "unknown reason";
      // The reason may quote a plugin's output: one line, control characters escaped.
      return `${r.id}: failed, kept ${r.from}: ${escapeControls(redactUrls(why), false)}\n`;
    })
    .join("");
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
