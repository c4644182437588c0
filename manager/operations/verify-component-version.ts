// Verifies a signed component version from scratch: the signature over the stored digest, the descriptor
// against that digest, every resource digest recomputed from the bytes and every reference digest
// recomputed from the referenced descriptor. Stored digests are compared, never trusted.
import {
  isOcmError,
  OcmError,
  type ComponentVersionRepository,
  type ErrorCode,
  type TypedSpec,
} from "../../core/index.js";
import {
  digestDescriptor,
  hashHex,
  legacyNormalisations,
  toHashAlgorithm,
  toNormalisationAlgorithm,
  type ComponentDescriptor,
  type DigestSpec,
  type Signature,
  untrustedText,
} from "../../core/model/index.js";
import type { CapabilityProvider, EventPublisher } from "../../core/index.js";
import { referenceDigestMismatch } from "./digest-component-version.js";
import { readDescriptor, type ComponentVersionTarget } from "./read-descriptor.js";
import {
  blobDigestMismatch,
  computeResourceDigest,
  isUndigested,
  resourceLabel,
  sameDigest,
} from "./resource-digest.js";

export interface VerifyComponentVersionOptions {
  repository: TypedSpec;
  component: string;
  version: string;
  /** The name of the signature to verify. */
  signature: string;
  /** The public key or certificate, PEM. */
  publicKey?: string | undefined;
  /** Trusted CA certificates, PEM: a signature carrying a certificate chain must lead to one. */
  rootCertificates?: string | undefined;
  /** Also recompute the resource digests of referenced component versions. */
  recursive?: boolean | undefined;
  /** Receives `componentVersion.verified`, with the result, once every check ran. */
  events?: EventPublisher | undefined;
}

/** One thing that was checked. `code` says what kind of failure it is. */
export interface VerificationCheck {
  kind: "signature" | "descriptor" | "resource" | "reference";
  /** What was checked, e.g. `acme.org/hello:1.0.0 resource readme`. */
  subject: string;
  ok: boolean;
  message: string;
  code?: ErrorCode | (string & {}) | undefined;
}

export interface VerificationReport {
  component: string;
  version: string;
  signature: string;
  /** The signature algorithm. */
  algorithm: string;
  /** The descriptor digest the signature covers (checked against the signature and the descriptor). */
  digest: DigestSpec;
  ok: boolean;
  checks: VerificationCheck[];
}

const passed = (kind: VerificationCheck["kind"], subject: string, message: string): VerificationCheck => ({
  kind,
  subject,
  ok: true,
  message,
});

function failed(kind: VerificationCheck["kind"], subject: string, error: unknown): VerificationCheck {
  if (!isOcmError(error)) throw error;
  return { kind, subject, ok: false, message: error.message, code: error.code };
}

function findSignature(descriptor: ComponentDescriptor, name: string): Signature {
  const signatures = descriptor.signatures ?? [];
  const found = signatures.find((s) => s.name === name);
  if (found) return found;
  const where = `${descriptor.component.name}:${descriptor.component.version}`;
  throw new OcmError({
    code: "OCM_SIGNING_SIGNATURE_NOT_FOUND",
    message: `${where} has no signature named ${JSON.stringify(name)}`,
    hint: signatures.length
      ? `Signatures of ${where}: ${signatures.map((s) => s.name).join(", ")}.`
      : `${where} is not signed; sign it with \`ocm sign cv\`.`,
    details: { signature: name, signatures: signatures.map((s) => s.name) },
  });
}

async function checkSignature(
  manager: CapabilityProvider,
  subject: string,
  signature: Signature,
  options: VerifyComponentVersionOptions,
): Promise<VerificationCheck> {
  const handler = await manager.getPlugin(signature.signature.algorithm, "signingHandler");
  const verdict = await handler.verify({
    digest: { hashAlgorithm: signature.digest.hashAlgorithm, value: signature.digest.value },
    signature: signature.signature,
    ...(options.publicKey ? { publicKey: options.publicKey } : {}),
    ...(options.rootCertificates ? { rootCertificates: options.rootCertificates } : {}),
  });
  if (verdict.ok) return passed("signature", subject, `${signature.signature.algorithm} signature verified`);
  return {
    kind: "signature",
    subject,
    ok: false,
    // The signing handler may be an external plugin: its text is cut short and escaped like any plugin's.
    message:
      verdict.message === undefined ? "the signature does not verify" : untrustedText(verdict.message, 1024),
    code:
      verdict.reason === "signature" || verdict.reason === undefined
        ? "OCM_SIGNING_SIGNATURE_INVALID"
        : "OCM_SIGNING_CERTIFICATE_UNTRUSTED",
  };
}

/** Checks the resources and references of one component version; recursive into references when asked. */
async function checkContents(
  manager: CapabilityProvider,
  repo: ComponentVersionRepository,
  target: ComponentVersionTarget,
  descriptor: ComponentDescriptor,
  recursive: boolean,
  checks: VerificationCheck[],
  seen: Set<string>,
): Promise<void> {
  const where = `${target.component}:${target.version}`;
  seen.add(where);
  for (const resource of descriptor.component.resources) {
    const subject = `${where} resource ${resourceLabel(resource)}`;
    if (isUndigested(resource)) continue;
    const stored = resource.digest ?? undefined;
    try {
      if (!stored) {
        throw new OcmError({
          code: "OCM_SIGNING_BLOB_DIGEST_MISMATCH",
          message: `${subject} has no digest, so the signature does not cover its content`,
          hint: "Sign the component version again to record the digest.",
        });
      }
      const actual = await computeResourceDigest(manager, target, resource);
      if (!sameDigest(stored, actual)) throw blobDigestMismatch(subject, stored, actual);
      checks.push(passed("resource", subject, `${actual.normalisationAlgorithm} ${actual.value}`));
    } catch (error) {
      checks.push(failed("resource", subject, error));
    }
  }
  for (const reference of descriptor.component.componentReferences) {
    const ref = {
      repository: target.repository,
      component: reference.componentName,
      version: reference.version,
    };
    const subject = `${where} reference ${reference.name} (${ref.component}:${ref.version})`;
    let referenced: ComponentDescriptor;
    try {
      const stored = reference.digest ?? undefined;
      if (!stored) {
        throw new OcmError({
          code: "OCM_SIGNING_DESCRIPTOR_DIGEST_MISMATCH",
          message: `${subject} has no digest, so the signature does not cover the referenced component version`,
          hint: "Sign the component version again to record the digest.",
        });
      }
      referenced = await readDescriptor(repo, ref);
      const actual = digestDescriptor(referenced, {
        normalisation: stored.normalisationAlgorithm,
        hash: stored.hashAlgorithm,
      });
      if (!sameDigest(stored, actual)) throw referenceDigestMismatch(subject, stored, actual);
      checks.push(passed("reference", subject, `${actual.normalisationAlgorithm} ${actual.value}`));
    } catch (error) {
      checks.push(failed("reference", subject, error));
      continue;
    }
    if (recursive && !seen.has(`${ref.component}:${ref.version}`)) {
      await checkContents(manager, repo, ref, referenced, recursive, checks, seen);
    }
  }
}

/**
 * Verifies signature `signature` of `component:version` and returns every check as data; `ok` is true only
 * if all passed. Throws for what prevents checking at all: a missing signature name
 * (OCM_SIGNING_SIGNATURE_NOT_FOUND), an unusable key (OCM_SIGNING_KEY_INVALID), an unknown algorithm.
 */
export async function verifyComponentVersion(
  manager: CapabilityProvider,
  options: VerifyComponentVersionOptions,
): Promise<VerificationReport> {
  const repo = await manager.getPlugin(options.repository.type, "componentVersionRepository");
  const target = { repository: options.repository, component: options.component, version: options.version };
  const where = `${options.component}:${options.version}`;
  const descriptor = await readDescriptor(repo, target);
  const signature = findSignature(descriptor, options.signature);
  const normalisation = toNormalisationAlgorithm(signature.digest.normalisationAlgorithm);
  const hash = toHashAlgorithm(signature.digest.hashAlgorithm);
  const checks = [await checkSignature(manager, `${where} signature ${signature.name}`, signature, options)];
  const actual = digestDescriptor(descriptor, { normalisation, hash });
  // Older Go tools signed a slightly different v1 form under the same name; accept it, and say so.
  const legacy =
    actual.value === signature.digest.value
      ? undefined
      : legacyNormalisations(descriptor, normalisation).find(
          (text) => hashHex(text, hash) === signature.digest.value,
        );
  checks.push(
    actual.value === signature.digest.value || legacy !== undefined
      ? passed(
          "descriptor",
          `${where} descriptor`,
          `${normalisation}${legacy === undefined ? "" : " (legacy form)"} ${signature.digest.value}`,
        )
      : {
          kind: "descriptor",
          subject: `${where} descriptor`,
          ok: false,
          message: `the descriptor has digest ${actual.value} (${normalisation}), the signature ${signature.name} signed ${signature.digest.value}`,
          code: "OCM_SIGNING_DESCRIPTOR_DIGEST_MISMATCH",
        },
  );
  await checkContents(manager, repo, target, descriptor, options.recursive ?? false, checks, new Set());
  const ok = checks.every((c) => c.ok);
  await options.events?.publish({
    type: "componentVersion.verified",
    subject: { ...target, digest: signature.digest },
    data: {
      ok,
      signature: signature.name,
      ...(ok ? {} : { message: checks.find((c) => !c.ok)?.message }),
    },
  });
  return {
    component: options.component,
    version: options.version,
    signature: signature.name,
    algorithm: signature.signature.algorithm,
    digest: signature.digest,
    ok: checks.every((c) => c.ok),
    checks,
  };
}
