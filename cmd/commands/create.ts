// `ocm create rsakeypair`: a key pair for `ocm sign cv --private-key` and `ocm verify cv --public-key`,
// named as the Go `ocm` names it (default `rsa.priv`; the public key beside it with `.pub`).
import type { Command } from "commander";
import { createRsaKeyPair } from "../../manager/index.js";
import type { CommandContext } from "../context.js";
import { parseOutputFormat, renderData } from "../render.js";

interface CreateKeyPairOptions {
  force?: boolean;
  output: string;
}

export function registerCreateCommands(program: Command, context: () => CommandContext): void {
  const create = program.command("create").description("create keys and other local files");
  create
    .command("rsakeypair")
    .alias("rsa")
    .description("create an RSA key pair (PEM; the private key readable by you only)")
    .argument("[private-key-file]", "where the private key goes", "rsa.priv")
    .argument("[public-key-file]", "where the public key goes (default: <name>.pub, or x.pub for x.priv)")
    .option("-f, --force", "replace existing key files")
    .option("-o, --output <format>", "text, json or yaml", "text")
    .action(async (privateKeyPath: string, publicKeyPath: string | undefined, opts: CreateKeyPairOptions) => {
      const format = opts.output === "text" ? "text" : parseOutputFormat(opts.output, ["json", "yaml"]);
      const ctx = context();
      const created = await createRsaKeyPair({ privateKeyPath, publicKeyPath, force: opts.force });
      ctx.stdout.write(
        format === "text"
          ? `created RSA key pair (${created.bits} bits): private key ${created.privateKeyPath} (mode 0600), public key ${created.publicKeyPath}\n`
          : renderData(created, format as "json" | "yaml"),
      );
    });
}
