// `ocm sign cv`: sign a component version in its repository.
import { Option, type Command } from "commander";
import { NORMALISATION_ALGORITHMS } from "../../core/index.js";
import { DEFAULT_SIGNING_ALGORITHM, readKeyFile, signComponentVersion } from "../../manager/index.js";
import type { CommandContext } from "../context.js";
import { componentTarget } from "../refs.js";
import { parseOutputFormat, renderData, renderTable } from "../render.js";

interface SignOptions {
  signature: string;
  privateKey: string;
  certificate?: string;
  ca?: string;
  algorithm: string;
  normalisation: string;
  recursive?: boolean;
  output: string;
}

export function registerSignCommands(program: Command, context: () => CommandContext): void {
  const sign = program.command("sign").description("sign elements");
  sign
    .command("componentversions")
    .aliases(["cv", "cvs", "component-version", "componentversion"])
    .description("compute the digests of a component version, sign them and store the signature")
    .argument("<ref>", "<repository>//<component>:<version>")
    .requiredOption("-s, --signature <name>", "name of the signature (an existing one is replaced)")
    .requiredOption("-K, --private-key <file>", "RSA private key, PEM (PKCS#1 or PKCS#8)")
    .option("--certificate <file>", "signer certificate and intermediates, PEM; stored with the signature")
    .option("--ca <file>", "trusted root certificates the --certificate chain must lead to, PEM")
    .option(
      "-S, --algorithm <name>",
      "signature algorithm: RSASSA-PSS or RSASSA-PKCS1-V1_5",
      DEFAULT_SIGNING_ALGORITHM,
    )
    .addOption(
      new Option("--normalisation <algorithm>", "descriptor normalisation")
        .choices([...NORMALISATION_ALGORITHMS])
        .default("jsonNormalisation/v3"),
    )
    .option("-r, --recursive", "also digest referenced component versions")
    .option("-o, --output <format>", "table, json or yaml", "table")
    .action(async (ref: string, opts: SignOptions) => {
      const format = parseOutputFormat(opts.output);
      const ctx = context();
      const target = await componentTarget(ctx, ref, true);
      const signed = await signComponentVersion(ctx.manager(), {
        repository: target.repository,
        component: target.component,
        version: target.version as string,
        signature: opts.signature,
        privateKey: await readKeyFile(opts.privateKey, "private key"),
        certificateChain: opts.certificate ? await readKeyFile(opts.certificate, "certificate") : undefined,
        rootCertificates: opts.ca ? await readKeyFile(opts.ca, "CA") : undefined,
        algorithm: opts.algorithm,
        normalisation: opts.normalisation,
        recursive: opts.recursive ?? false,
        events: ctx.events(),
      });
      const { component, version, signature } = signed;
      if (format !== "table")
        return void ctx.stdout.write(renderData({ component, version, signature }, format));
      ctx.stdout.write(
        renderTable(
          ["COMPONENT", "VERSION", "SIGNATURE", "ALGORITHM", "DIGEST"],
          [[component, version, signature.name, signature.signature.algorithm, signature.digest.value]],
        ),
      );
    });
}
