// Which hash of a registry's `dist` the npm plugin checks a tarball against (#14): the strongest SRI entry
// of `dist.integrity`, else `dist.shasum`.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { integrityHash, integrityOf } from "../../../plugins/npm/integrity.js";

const tarball = Buffer.from("a tarball's bytes");
const sri = (algorithm: string, bytes = tarball) =>
  `${algorithm}-${createHash(algorithm).update(bytes).digest("base64")}`;

function check(dist: { integrity?: string; shasum?: string }, bytes = tarball) {
  const integrity = integrityOf(dist);
  if (!integrity) return undefined;
  const { hash, matches } = integrityHash(integrity);
  hash.update(bytes);
  return { algorithm: integrity.algorithm, ...matches() };
}

describe("npm dist integrity", () => {
  it("checks the strongest of several integrity entries, whatever their order (#14)", () => {
    const dist = { integrity: `${sri("sha1")} ${sri("sha512")} ${sri("sha256")}` };
    expect(check(dist)).toEqual({ algorithm: "sha512", ok: true, got: sri("sha512") });
    expect(check(dist, Buffer.from("other bytes"))).toMatchObject({ algorithm: "sha512", ok: false });
  });

  it("falls back to dist.shasum (SHA-1, hex) when there is no integrity, as for packages published before npm 5 (#14)", () => {
    const shasum = createHash("sha1").update(tarball).digest("hex");
    expect(check({ shasum })).toEqual({ algorithm: "sha1", ok: true, got: `sha1 ${shasum}` });
    expect(check({ shasum }, Buffer.from("other"))?.ok).toBe(false);
  });

  it("finds no hash in a dist without integrity or shasum, or with unknown algorithms only (#14)", () => {
    expect(integrityOf({})).toBeUndefined();
    expect(integrityOf({ integrity: "md5-AAAA" })).toBeUndefined();
  });
});
