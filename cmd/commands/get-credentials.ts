// `ocm get credentials <consumer identity | repository ref>`: which credential source would answer and
// with which properties, secrets masked. Never prints a secret.
import type { Command } from "commander";
import { OcmError, type Identity } from "../../core/index.js";
import { consumerIdentityOf, describeCredentials } from "../../manager/index.js";
import type { CommandContext } from "../context.js";
import { parseOutputFormat, renderData, renderTable } from "../render.js";
import { repositoryOrComponentTarget } from "../refs.js";

const formatIdentity = (identity: Identity) =>
  Object.entries(identity)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");

/** `type=<consumer type>,hostname=ghcr.io[,port=…][,pathprefix=…]`, or undefined when `text` is no identity. */
function parseConsumerIdentity(text: string): Identity | undefined {
  if (text.includes("//") || !/^[A-Za-z][\w.-]*=/.test(text)) return undefined;
  const identity: Identity = {};
  for (const part of text.split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) {
      throw new OcmError({
        code: "OCM_IDENTITY_INVALID",
        message: `consumer identity ${JSON.stringify(text)}: ${JSON.stringify(part)} is not key=value`,
        hint: "Write type=<consumer type>,hostname=<host>[,port=<port>][,pathprefix=<path>], or a repository such as ghcr.io/acme.",
      });
    }
    identity[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return identity;
}

export function registerGetCredentialsCommand(get: Command, context: () => CommandContext): void {
  get
    .command("credentials")
    .aliases(["credential", "creds", "cred"])
    .description(
      "show which credential source would answer a consumer identity or repository, secrets masked",
    )
    .argument(
      "<consumer>",
      "a consumer identity, type=<consumer type>,hostname=<host>[,port=…][,pathprefix=…], or a repository reference",
    )
    .option("-o, --output <format>", "table, json or yaml", "table")
    .action(async (consumer: string, opts: { output: string }, command: Command) => {
      const format = parseOutputFormat(opts.output);
      const ctx = context();
      let identity = parseConsumerIdentity(consumer);
      if (identity === undefined) {
        const { repository } = await repositoryOrComponentTarget(ctx, consumer);
        // Whom to ask, as the plugin of the repository's type names it (ADR 0006).
        identity = await consumerIdentityOf(ctx.manager(), repository);
        if (identity === undefined) {
          throw new OcmError({
            code: "OCM_USAGE_INVALID",
            message: `${consumer} is a ${repository.type} repository, which needs no credentials`,
            hint: "Name a registry (ghcr.io/acme) or a consumer identity: type=<consumer type>,hostname=<host>.",
          });
        }
      }
      const { config } = command.optsWithGlobals<{ config?: string }>();
      const found = await describeCredentials(ctx.manager(), { identity, configFile: config });
      if (format !== "table") return void ctx.stdout.write(renderData(found, format));
      ctx.stdout.write(`consumer: ${formatIdentity(found.identity)}\n`);
      if (!found.source) {
        ctx.stdout.write("source:   none (no credentials; access is anonymous)\n");
        return;
      }
      ctx.stdout.write(`source:   ${found.source.description}\n\n`);
      ctx.stdout.write(renderTable(["PROPERTY", "VALUE"], Object.entries(found.properties ?? {})));
    });
}
