// Normalised descriptor text and descriptor digests: pure functions over a parsed descriptor, the input of
// every signature (ocm-spec 04-extensions/04-algorithms/component-descriptor-normalization-algorithms.md).
import { createHash } from "node:crypto";
import { OcmError } from "../errors.js";
import { canonicalJson, entryJson } from "./canonical-json.js";
import { convertV3alpha1ToV2 } from "./convert-v3alpha1.js";
import { entryNormalFormV2, entryNormalFormV3alpha1, jcsNormalForm } from "./normalise-rules.js";
import type { ComponentDescriptor, DigestSpec } from "./schema-v2.js";
import type { ComponentDescriptorV3alpha1 } from "./schema-v3alpha1.js";

/** The descriptor normalisation algorithms. */
export const NORMALISATION_ALGORITHMS = [
  "jsonNormalisation/v1",
  "jsonNormalisation/v2",
  "jsonNormalisation/v3",
  "jsonNormalisation/v4alpha1",
] as const;
export type NormalisationAlgorithm = (typeof NORMALISATION_ALGORITHMS)[number];

/** The hash algorithms, by the names OCM writes (Go `crypto.Hash.String()`). */
export const HASH_ALGORITHMS = ["SHA-256", "SHA-512"] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/** Legacy spellings still found in stored digests. */
const HASH_ALIASES: Record<string, HashAlgorithm> = {
  "SHA-256": "SHA-256",
  "SHA-512": "SHA-512",
  sha256: "SHA-256",
  sha512: "SHA-512",
};

function unsupported(what: string, value: string): never {
  throw new OcmError({
    code: "OCM_NORMALISATION_UNSUPPORTED",
    message: `unsupported ${what} ${JSON.stringify(value)}`,
    hint: `Use one of ${what === "hash algorithm" ? HASH_ALGORITHMS.join(", ") : NORMALISATION_ALGORITHMS.join(", ")}.`,
    details: { [what === "hash algorithm" ? "hash" : "normalisation"]: value },
  });
}

/** Checks an algorithm name (e.g. from a stored signature), throwing OCM_NORMALISATION_UNSUPPORTED. */
export function toNormalisationAlgorithm(name: string): NormalisationAlgorithm {
  return (NORMALISATION_ALGORITHMS as readonly string[]).includes(name)
    ? (name as NormalisationAlgorithm)
    : unsupported("normalisation algorithm", name);
}

/** Maps a hash name, including legacy `sha256`/`sha512`, to its OCM name; throws OCM_NORMALISATION_UNSUPPORTED. */
export function toHashAlgorithm(name: string): HashAlgorithm {
  return HASH_ALIASES[name] ?? unsupported("hash algorithm", name);
}

const toV2 = (cd: ComponentDescriptor | ComponentDescriptorV3alpha1): ComponentDescriptor =>
  "apiVersion" in cd ? convertV3alpha1ToV2(cd) : cd;

/**
 * The normalised text of a descriptor, without trailing newline: JCS for v2/v3/v4alpha1 (v2 with legacy
 * extraIdentity defaulting; v3 and v4alpha1 are byte-identical except for a
 * component reference without digest), the entry format for v1. A v3alpha1
 * descriptor is normalised in its own form for v1 and converted to v2 for the others.
 */
export function normalise(
  cd: ComponentDescriptor | ComponentDescriptorV3alpha1,
  algorithm: NormalisationAlgorithm = "jsonNormalisation/v3",
): string {
  switch (toNormalisationAlgorithm(algorithm)) {
    case "jsonNormalisation/v1":
      return entryJson("apiVersion" in cd ? entryNormalFormV3alpha1(cd) : entryNormalFormV2(cd));
    case "jsonNormalisation/v2":
      return canonicalJson(jcsNormalForm(toV2(cd), "v2"));
    case "jsonNormalisation/v3":
      return canonicalJson(jcsNormalForm(toV2(cd), "v3"));
    case "jsonNormalisation/v4alpha1":
      return canonicalJson(jcsNormalForm(toV2(cd), "v4alpha1"));
  }
}

/** Options of `digestDescriptor`. */
export interface DigestDescriptorOptions {
  /** A `NormalisationAlgorithm`; other names are refused with OCM_NORMALISATION_UNSUPPORTED. Default v3. */
  normalisation?: NormalisationAlgorithm | (string & {}) | undefined;
  /** `SHA-256` (default) or `SHA-512`; legacy `sha256`/`sha512` are accepted. */
  hash?: HashAlgorithm | (string & {}) | undefined;
}

/** Lowercase hex hash of bytes or text. */
export function hashHex(data: string | Uint8Array, hash: HashAlgorithm = "SHA-256"): string {
  return createHash(hash === "SHA-256" ? "sha256" : "sha512")
    .update(data)
    .digest("hex");
}

/** The descriptor digest a signature stores: `{hashAlgorithm, normalisationAlgorithm, value: hex}` (defaults v3, SHA-256). */
/**
 * Other normalised forms that earlier versions of the Go tool produced under the same algorithm name, for
 * verifying old signatures: jsonNormalisation/v1 once omitted `extraIdentity: null` (see the
 * signed-comparch-rsa-v1norm fixture). Empty for every other algorithm.
 */
export function legacyNormalisations(
  cd: ComponentDescriptor | ComponentDescriptorV3alpha1,
  algorithm: NormalisationAlgorithm | string,
): string[] {
  if (toNormalisationAlgorithm(algorithm) !== "jsonNormalisation/v1" || "apiVersion" in cd) return [];
  return [entryJson(entryNormalFormV2(cd, true))];
}

export function digestDescriptor(
  cd: ComponentDescriptor | ComponentDescriptorV3alpha1,
  options: DigestDescriptorOptions = {},
): DigestSpec & { hashAlgorithm: HashAlgorithm; normalisationAlgorithm: NormalisationAlgorithm } {
  const normalisationAlgorithm = toNormalisationAlgorithm(options.normalisation ?? "jsonNormalisation/v3");
  const hashAlgorithm = toHashAlgorithm(options.hash ?? "SHA-256");
  return {
    hashAlgorithm,
    normalisationAlgorithm,
    value: hashHex(normalise(cd, normalisationAlgorithm), hashAlgorithm),
  };
}

/** The `genericBlobDigest/v1` digest of a blob's bytes: the hash of the bytes, lowercase hex, no prefix. */
export function genericBlobDigest(
  data: string | Uint8Array,
  hash: HashAlgorithm = "SHA-256",
): DigestSpec & { hashAlgorithm: HashAlgorithm; normalisationAlgorithm: "genericBlobDigest/v1" } {
  return { hashAlgorithm: hash, normalisationAlgorithm: "genericBlobDigest/v1", value: hashHex(data, hash) };
}
