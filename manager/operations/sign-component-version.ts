// Signs a component version in place: completes its digests, signs the descriptor digest through the
// signingHandler plugin of the chosen algorithm and stores the descriptor with the named signature.
import type { TypedSpec } from "../../core/index.js";
import {
  toHashAlgorithm,
  toNormalisationAlgorithm,
  type ComponentDescriptor,
  type Signature,
} from "../../core/model/index.js";
import type { CapabilityProvider, EventPublisher } from "../../core/index.js";
import { digestComponentVersion } from "./digest-component-version.js";

export interface SignComponentVersionOptions {
  repository: TypedSpec;
  component: string;
  version: string;
  /** The signature's name; a signature of the same name is replaced. */
  signature: string;
  /** The private key, PEM. */
  privateKey: string;
  /** The signer's certificate and its intermediates, PEM; the signature then carries them and an issuer. */
  certificateChain?: string | undefined;
  /** Trusted roots the certificate chain must lead to, PEM. */
  rootCertificates?: string | undefined;
  /** The signature algorithm, i.e. the signingHandler type. Default `RSASSA-PSS`. */
  algorithm?: string | undefined;
  /** Default `jsonNormalisation/v3`. */
  normalisation?: string | undefined;
  /** Default `SHA-256`. */
  hash?: string | undefined;
  /** Also complete (and store) the digests of referenced component versions. */
  recursive?: boolean | undefined;
  /** Receives `componentVersion.signed` once the signed descriptor is stored. */
  events?: EventPublisher | undefined;
}

export interface SignedComponentVersion {
  component: string;
  version: string;
  /** The signature as stored in the descriptor. */
  signature: Signature;
  /** The descriptor as stored. */
  descriptor: ComponentDescriptor;
}

/** The default signature algorithm, as in OCM v2. */
export const DEFAULT_SIGNING_ALGORITHM = "RSASSA-PSS";

/**
 * Signs `component:version` in `repository`; with `recursive`, referenced versions that gained resource
 * digests are stored too, after the signature was made. Fails before anything is stored when a resource's bytes do not
 * match its stored digest (OCM_SIGNING_BLOB_DIGEST_MISMATCH) or a key is unusable (OCM_SIGNING_KEY_INVALID).
 */
export async function signComponentVersion(
  manager: CapabilityProvider,
  options: SignComponentVersionOptions,
): Promise<SignedComponentVersion> {
  const normalisation = toNormalisationAlgorithm(options.normalisation ?? "jsonNormalisation/v3");
  const hash = toHashAlgorithm(options.hash ?? "SHA-256");
  const algorithm = options.algorithm ?? DEFAULT_SIGNING_ALGORITHM;
  const handler = await manager.getPlugin(algorithm, "signingHandler");
  const repo = await manager.getPlugin(options.repository.type, "componentVersionRepository");
  const target = { repository: options.repository, component: options.component, version: options.version };
  const { descriptor, digest, completed } = await digestComponentVersion(manager, repo, target, {
    normalisation,
    hash,
    recursive: options.recursive ?? false,
  });
  const { signature: value } = await handler.sign({
    digest: { hashAlgorithm: digest.hashAlgorithm, value: digest.value },
    privateKey: options.privateKey,
    ...(options.certificateChain ? { certificateChain: options.certificateChain } : {}),
    ...(options.rootCertificates ? { rootCertificates: options.rootCertificates } : {}),
  });
  const signature: Signature = { name: options.signature, digest, signature: value };
  const others = (descriptor.signatures ?? []).filter((s) => s.name !== options.signature);
  descriptor.signatures = [...others, signature];
  for (const nested of completed) {
    await repo.addComponentVersion({ repository: options.repository, descriptor: nested, overwrite: true });
  }
  await repo.addComponentVersion({ repository: options.repository, descriptor, overwrite: true });
  await options.events?.publish({
    type: "componentVersion.signed",
    subject: { ...target, digest },
    data: { signature: options.signature, algorithm },
  });
  return { component: options.component, version: options.version, signature, descriptor };
}
