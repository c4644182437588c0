// What a registry says a tarball's bytes hash to: `dist.integrity` (Subresource Integrity, e.g.
// `sha512-<base64>`; several space-separated entries allowed, W3C SRI §3.3: the strongest one counts) or,
// for packages published before npm 5, only `dist.shasum` (SHA-1, hex).
import { createHash, type Hash } from "node:crypto";

const STRENGTH = ["sha512", "sha384", "sha256", "sha1"] as const;
type Algorithm = (typeof STRENGTH)[number];

/** An expected hash: its algorithm, its bytes and how to show it (`sha512-…`). */
export interface Integrity {
  algorithm: Algorithm;
  expected: Buffer;
  shown: string;
}

/** The strongest usable hash `dist` names, or undefined when it names none. */
export function integrityOf(dist: { integrity?: unknown; shasum?: unknown }): Integrity | undefined {
  if (typeof dist.integrity === "string") {
    const entries = dist.integrity
      .trim()
      .split(/\s+/)
      .map((entry) => /^(sha512|sha384|sha256|sha1)-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(entry))
      .filter((m): m is RegExpExecArray => m !== null);
    for (const algorithm of STRENGTH) {
      const match = entries.find((m) => m[1] === algorithm);
      if (match?.[2])
        return { algorithm, expected: Buffer.from(match[2], "base64"), shown: `${algorithm}-${match[2]}` };
    }
  }
  if (typeof dist.shasum === "string" && /^[0-9a-f]{40}$/i.test(dist.shasum)) {
    return {
      algorithm: "sha1",
      expected: Buffer.from(dist.shasum, "hex"),
      shown: `sha1 ${dist.shasum.toLowerCase()}`,
    };
  }
  return undefined;
}

/** A running hash of `integrity`'s algorithm and a check of its result. */
export function integrityHash(integrity: Integrity): {
  hash: Hash;
  matches: () => { ok: boolean; got: string };
} {
  const hash = createHash(integrity.algorithm);
  return {
    hash,
    matches() {
      const digest = hash.digest();
      const got = integrity.shown.startsWith("sha1 ")
        ? `sha1 ${digest.toString("hex")}`
        : `${integrity.algorithm}-${digest.toString("base64")}`;
      return { ok: digest.equals(integrity.expected), got };
    },
  };
}
