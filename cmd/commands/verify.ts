// `ocm verify cv`: check a component version's signature and every digest it covers.
import type { Command } from "commander";
import { OcmError } from "../../core/index.js";
import { readKeyFile, verifyComponentVersion } from "../../manager/index.js";
import type { CommandContext } from "../context.js";
import { componentTarget } from "../refs.js";
import { parseOutputFormat, renderData, renderTable } from "../render.js";

interface VerifyOptions {
  signature: string;
  publicKey?: string;
  ca?: string;
  recursive?: boolean;
  output: string;
}

export function registerVerifyCommands(program: Command, context: () => CommandContext): void {
  const verify = program.command("verify").description("verify signatures");
  verify
    .command("componentversions")
    .aliases(["cv", "cvs", "component-version", "componentversion"])
    .description("verify a signature and recompute every digest it covers from the content")
    .argument("<ref>", "<repository>//<component>:<version>")
    .requiredOption("-s, --signature <name>", "name of the signature to verify")
    .option("-k, --public-key <file>", "RSA public key or certificate, PEM (PKCS#1, PKIX or X.509)")
    .option("--ca <file>", "trusted root certificates for a signature that carries a certificate chain, PEM")
    .option("-r, --recursive", "also recompute the resource digests of referenced component versions")
    .option("-o, --output <format>", "table, json or yaml", "table")
    .action(async (ref: string, opts: VerifyOptions) => {
      const format = parseOutputFormat(opts.output);
      const target = await componentTarget(context(), ref, true);
      if (!opts.publicKey && !opts.ca) {
        throw new OcmError({
          code: "OCM_USAGE_INVALID",
          message: "nothing to verify the signature with",
          hint: "Pass --public-key <file>, --ca <file>, or both.",
        });
      }
      const ctx = context();
      const report = await verifyComponentVersion(ctx.manager(), {
        repository: target.repository,
        component: target.component,
        version: target.version as string,
        signature: opts.signature,
        publicKey: opts.publicKey ? await readKeyFile(opts.publicKey, "public key") : undefined,
        rootCertificates: opts.ca ? await readKeyFile(opts.ca, "CA") : undefined,
        recursive: opts.recursive ?? false,
        events: ctx.events(),
      });
      if (format !== "table") ctx.stdout.write(renderData(report, format));
      else {
        ctx.stdout.write(
          renderTable(
            ["CHECK", "SUBJECT", "RESULT", "DETAIL"],
            report.checks.map((c) => [c.kind, c.subject, c.ok ? "ok" : "FAILED", c.message]),
          ),
        );
      }
      const failures = report.checks.filter((c) => !c.ok);
      const first = failures[0];
      if (!first) return;
      throw new OcmError({
        code: first.code ?? "OCM_SIGNING_SIGNATURE_INVALID",
        message: `signature ${report.signature} of ${report.component}:${report.version} is not valid: ${first.message}${failures.length > 1 ? ` (and ${failures.length - 1} more failed check${failures.length > 2 ? "s" : ""})` : ""}`,
        hint: "The report above lists every check; do not use this component version until the cause is resolved.",
        details: { failures },
      });
    });
}
