// `ocm plugin add-remote` and how `ocm plugin list` shows a remote plugin (ADR 0009): the plugin service's
// URLs and where its token comes from go into the ocm config; the token itself never touches argv.
import type { Command } from "commander";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { addRemotePlugin, type RemoteInstanceState } from "../../manager/index.js";
import { OcmError } from "../../core/index.js";
import type { CommandContext } from "../context.js";

interface AddRemoteOptions {
  tokenFrom?: string;
  ca?: string;
  cert?: string;
  key?: string;
  forwardCredentials?: boolean;
  retries?: string;
  failureThreshold?: string;
}

export function registerPluginRemoteCommands(plugin: Command, context: () => CommandContext): void {
  plugin
    .command("add-remote")
    .description("name a plugin that runs as a service at one or more URLs in the ocm config")
    .argument("<id>", "the plugin id to use for it")
    .argument("<url...>", "base URL of each instance: https://host:port (http:// on loopback only)")
    .option(
      "--token-from <source>",
      "where the bearer token comes from: env:<VARIABLE> (or just the variable's name), or credentials (consumer {type: OCMPluginService, id: <id>}, property token)",
    )
    .option("--ca <file>", "PEM file of the CA that signed the service's certificate")
    .option("--cert <file>", "PEM client certificate for mTLS (with --key)")
    .option("--key <file>", "PEM key of the client certificate")
    .option("--forward-credentials", "send the credentials of each call's target to this plugin")
    .option("--retries <n>", "extra attempts of a read after a connection failure (default 2)")
    .option("--failure-threshold <n>", "connection failures in a row that take an instance out (default 1)")
    .action(async (id: string, urls: string[], opts: AddRemoteOptions) => {
      const ctx = context();
      const file = resolve(ctx.configFile() ?? join(homedir(), ".ocmconfig"));
      const settings = await addRemotePlugin(file, id, {
        urls,
        ...(opts.tokenFrom === undefined ? {} : { tokenFrom: tokenSource(opts.tokenFrom) }),
        ...(opts.ca === undefined ? {} : { ca: opts.ca }),
        ...(opts.cert === undefined ? {} : { cert: opts.cert }),
        ...(opts.key === undefined ? {} : { key: opts.key }),
        ...(opts.forwardCredentials ? { forwardCredentials: true } : {}),
        ...(opts.retries === undefined ? {} : { retries: count("--retries", opts.retries) }),
        ...(opts.failureThreshold === undefined
          ? {}
          : { failureThreshold: count("--failure-threshold", opts.failureThreshold) }),
      });
      ctx.stdout.write(`added remote plugin ${id} at ${settings.urls.join(", ")} (${file})\n`);
    });
}

/** `env:NAME`, `credentials`, or a bare variable name. */
function tokenSource(value: string): string {
  if (value === "credentials" || value.startsWith("env:")) return value;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) return `env:${value}`;
  throw new OcmError({
    code: "OCM_USAGE_INVALID",
    message: `--token-from ${JSON.stringify(value)} is neither env:<VARIABLE>, a variable name nor credentials`,
    hint: "The token is never given on the command line: export it in a variable and name the variable.",
  });
}

function count(flag: string, value: string): number {
  const n = Number(value);
  if (Number.isInteger(n) && n >= 0) return n;
  throw new OcmError({
    code: "OCM_USAGE_INVALID",
    message: `${flag} ${JSON.stringify(value)} is not a whole number`,
    hint: `Write e.g. ${flag} 2.`,
  });
}

type RemoteRuntime = { active: number; instances: RemoteInstanceState[] };

/** The state column of `ocm plugin list` for a remote plugin. */
export function remoteStateWord(remote: RemoteRuntime): string {
  return remote.active > 0 ? "reachable" : "unreachable";
}

/** The note under `ocm plugin list`: how many instances answer, and why the others do not. */
export function remoteNote(remote: RemoteRuntime): string {
  const out = remote.instances.filter((i) => !i.up);
  const why = out.map((i) => `${i.url}: ${i.reason ?? "no answer"}`).join("; ");
  return `remote, ${remote.active}/${remote.instances.length} instances active${why ? `; out: ${why}` : ""}`;
}

/** The fields `ocm plugin list -o json|yaml` adds for a remote plugin. */
export function remoteSummary(remote: RemoteRuntime) {
  return { reachable: remote.active > 0, activeInstances: remote.active, instances: remote.instances };
}
