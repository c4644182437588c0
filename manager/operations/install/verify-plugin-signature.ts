// `ocm plugin install --verify-signature`: the component version must carry a signature that verifies with
// the given key, every digest recomputed from the bytes as `ocm verify cv` does, and the descriptor the
// install goes on to use must be the one that was signed, with a blob digest for the plugin resource.
import { isOcmError, OcmError, type TypedSpec, type WireDescriptor } from "../../../core/index.js";
import {
  digestDescriptor,
  toHashAlgorithm,
  toNormalisationAlgorithm,
  type ComponentDescriptor,
} from "../../../core/model/index.js";
import type { ResourceEntry } from "../find-resource.js";
import { verifyComponentVersion } from "../verify-component-version.js";
import type { CapabilityProvider } from "../../../core/index.js";
import { expectedDigest } from "./fetch-plugin-blob.js";

export interface PluginSignatureOptions {
  /** The public key or certificate, PEM. */
  publicKey: string;
  /** The signature's name; default the component version's only signature. */
  signature?: string | undefined;
}

/** The signature a plugin was installed under, for its provenance. */
export interface VerifiedPluginSignature {
  name: string;
  algorithm: string;
  /** `<hashAlgorithm>:<value>` of the signed descriptor digest. */
  digest: string;
}

const NOTHING_INSTALLED = "Nothing was installed.";

function signatureName(descriptor: WireDescriptor, where: string, wanted: string | undefined): string {
  const names = ((descriptor as unknown as ComponentDescriptor).signatures ?? []).map((s) => s.name);
  if (wanted) return wanted;
  const [only, ...more] = names;
  if (only !== undefined && more.length === 0) return only;
  throw new OcmError({
    code: "OCM_SIGNING_SIGNATURE_NOT_FOUND",
    message: only
      ? `refusing to install a plugin from ${where}: it has ${names.length} signatures and none was chosen`
      : `refusing to install a plugin from ${where}: it is not signed`,
    hint: only
      ? `Choose one with --signature <name>: ${names.join(", ")}. ${NOTHING_INSTALLED}`
      : `Install only plugins signed by their publisher (\`ocm sign cv\`). ${NOTHING_INSTALLED}`,
    details: { signatures: names },
  });
}

/**
 * Verifies the signature of the component version a plugin is installed from, and that `descriptor` (the
 * one the install reads its resource from) is the signed one and records a blob digest for `resource`, so
 * the bytes the install checks against it are covered. Throws the code of the first failed check
 * (OCM_SIGNING_SIGNATURE_NOT_FOUND, OCM_SIGNING_SIGNATURE_INVALID, OCM_SIGNING_BLOB_DIGEST_MISMATCH, …).
 */
export async function verifyPluginSignature(
  manager: CapabilityProvider,
  source: { repository: TypedSpec; component: string; version: string },
  descriptor: WireDescriptor,
  resource: ResourceEntry,
  options: PluginSignatureOptions,
): Promise<VerifiedPluginSignature> {
  const where = `${source.component}:${source.version}`;
  const name = signatureName(descriptor, where, options.signature);
  let report;
  try {
    report = await verifyComponentVersion(manager, {
      ...source,
      signature: name,
      publicKey: options.publicKey,
    });
  } catch (error) {
    if (!isOcmError(error)) throw error;
    throw new OcmError({
      code: error.code,
      message: `refusing to install a plugin from ${where}: ${error.message}`,
      hint: [error.hint, NOTHING_INSTALLED].filter(Boolean).join(" "),
      details: error.details,
      cause: error,
    });
  }
  const failures = report.checks.filter((c) => !c.ok);
  const first = failures[0];
  if (first) {
    throw new OcmError({
      code: first.code ?? "OCM_SIGNING_SIGNATURE_INVALID",
      message: `refusing to install a plugin from ${where}: signature ${name} is not valid: ${first.message}`,
      hint: `Check the key with \`ocm verify cv\`; do not install this plugin until the cause is resolved. ${NOTHING_INSTALLED}`,
      details: { failures },
    });
  }
  const signed = digestDescriptor(descriptor as unknown as ComponentDescriptor, {
    normalisation: toNormalisationAlgorithm(report.digest.normalisationAlgorithm),
    hash: toHashAlgorithm(report.digest.hashAlgorithm),
  });
  if (signed.value !== report.digest.value) {
    throw new OcmError({
      code: "OCM_SIGNING_DESCRIPTOR_DIGEST_MISMATCH",
      message: `refusing to install a plugin from ${where}: the descriptor changed while it was verified (${signed.value}, signed ${report.digest.value})`,
      hint: `Try again; if it persists, the repository is being modified. ${NOTHING_INSTALLED}`,
    });
  }
  if (!expectedDigest(resource)) {
    throw new OcmError({
      code: "OCM_INSTALL_NOT_SIGNED",
      message: `refusing to install plugin resource ${resource.name} of ${where}: signature ${name} does not cover its bytes (its digest is ${JSON.stringify(resource["digest"] ?? null)})`,
      hint: `The publisher must sign the plugin with a genericBlobDigest/v1 SHA-256 digest for the resource. ${NOTHING_INSTALLED}`,
    });
  }
  return {
    name,
    algorithm: report.algorithm,
    digest: `${report.digest.hashAlgorithm}:${report.digest.value}`,
  };
}
