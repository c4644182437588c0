// The resource's own digest, checked while its bytes stream: `ocm download` checks a SHA-256 digest itself,
// but `ocm transfer --copy-resources` stores what an access serves without checking it, so bytes changed
// on the server after signing would be copied under the signed digest. Shared by the access plugins
// (wget, npm) until the host checks copied bytes itself.
import { createHash, type Hash } from "node:crypto";
import type { WireResource } from "../core/protocol/common.js";

const NODE_HASH: Record<string, string> = {
  "sha-256": "sha256",
  sha256: "sha256",
  "sha-512": "sha512",
  sha512: "sha512",
};

/** A running hash for `resource`'s `genericBlobDigest/v1` digest, or undefined when it has none to check. */
export function expectedDigest(
  resource: WireResource,
): { hash: Hash; algorithm: string; expected: string } | undefined {
  const digest = resource["digest"] as
    { normalisationAlgorithm?: unknown; hashAlgorithm?: unknown; value?: unknown } | undefined | null;
  if (digest?.normalisationAlgorithm !== "genericBlobDigest/v1" || typeof digest.value !== "string")
    return undefined;
  const algorithm = NODE_HASH[String(digest.hashAlgorithm).toLowerCase()];
  return algorithm
    ? { hash: createHash(algorithm), algorithm, expected: digest.value.toLowerCase() }
    : undefined;
}
