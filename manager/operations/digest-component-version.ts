// The digesting half of signing (docs/signing.md): resource digests from the bytes, reference digests from
// the referenced descriptors, then the digest of the normalised descriptor. Nothing is signed here.
import { OcmError, type ComponentVersionRepository } from "../../core/index.js";
import {
  digestDescriptor,
  type ComponentDescriptor,
  type DigestSpec,
  type HashAlgorithm,
  type NormalisationAlgorithm,
} from "../../core/model/index.js";
import type { CapabilityProvider } from "../../core/index.js";
import { readDescriptor, type ComponentVersionTarget } from "./read-descriptor.js";
import {
  blobDigestMismatch,
  computeResourceDigest,
  isUndigested,
  resourceLabel,
  sameDigest,
} from "./resource-digest.js";

export interface DigestOptions {
  normalisation: NormalisationAlgorithm;
  hash: HashAlgorithm;
  /** Also compute and store the resource digests of referenced component versions. */
  recursive: boolean;
}

/** A component version whose digests are complete, and the digest of its descriptor. */
export interface DigestedComponentVersion {
  descriptor: ComponentDescriptor;
  digest: DigestSpec;
  /** Resource digests added to this descriptor (it must be stored for them to count). */
  added: number;
  /** Referenced descriptors whose digests were completed: to be stored once signing succeeded. */
  completed: ComponentDescriptor[];
}

/** The error for a referenced descriptor that no longer matches the digest its referrer holds. */
export function referenceDigestMismatch(where: string, stored: DigestSpec, actual: DigestSpec): OcmError {
  return new OcmError({
    code: "OCM_SIGNING_DESCRIPTOR_DIGEST_MISMATCH",
    message: `${where}: the referenced descriptor has digest ${actual.value}, the reference says ${stored.value}`,
    hint: "The referenced component version changed after its digest was recorded; restore it or sign again.",
    details: { stored, actual },
  });
}

/**
 * Completes the digests of one component version: each resource's digest is computed from its bytes (a
 * stored one must match, else OCM_SIGNING_BLOB_DIGEST_MISMATCH), each reference gets the digest of the
 * referenced descriptor (digested first when `recursive`). Nothing is stored: the completed descriptor, its
 * digest and the referenced descriptors that gained digests are returned for the caller to store.
 */
export async function digestComponentVersion(
  manager: CapabilityProvider,
  repo: ComponentVersionRepository,
  target: ComponentVersionTarget,
  options: DigestOptions,
  seen: Map<string, DigestSpec> = new Map(),
): Promise<DigestedComponentVersion> {
  const descriptor = await readDescriptor(repo, target);
  let added = 0;
  const completed: ComponentDescriptor[] = [];
  for (const resource of descriptor.component.resources) {
    if (isUndigested(resource)) continue;
    const actual = await computeResourceDigest(manager, target, resource);
    const stored = resource.digest ?? undefined;
    if (stored && !sameDigest(stored, actual)) {
      throw blobDigestMismatch(
        `resource ${resourceLabel(resource)} of ${target.component}:${target.version}`,
        stored,
        actual,
      );
    }
    if (!stored) {
      resource.digest = actual;
      added++;
    }
  }
  for (const reference of descriptor.component.componentReferences) {
    const ref = {
      repository: target.repository,
      component: reference.componentName,
      version: reference.version,
    };
    const key = `${ref.component}:${ref.version}`;
    let actual = seen.get(key);
    if (!actual) {
      if (options.recursive) {
        const nested = await digestComponentVersion(manager, repo, ref, options, seen);
        completed.push(...nested.completed, ...(nested.added > 0 ? [nested.descriptor] : []));
        actual = nested.digest;
      } else {
        actual = digestDescriptor(await readDescriptor(repo, ref), options);
      }
      seen.set(key, actual);
    }
    const stored = reference.digest ?? undefined;
    if (
      stored &&
      stored.normalisationAlgorithm === actual.normalisationAlgorithm &&
      !sameDigest(stored, actual)
    ) {
      throw referenceDigestMismatch(
        `reference ${reference.name} of ${target.component}:${target.version}`,
        stored,
        actual,
      );
    }
    reference.digest = actual;
  }
  return { descriptor, digest: digestDescriptor(descriptor, options), added, completed };
}
