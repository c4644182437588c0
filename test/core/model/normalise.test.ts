import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  digestDescriptor,
  genericBlobDigest,
  hashHex,
  normalise,
  parseDescriptor,
  parseDescriptorDocument,
  toNormalisationAlgorithm,
} from "../../../core/model/index.js";
import { FIXTURES } from "./fixtures.js";
import { isOcmError } from "../../../core/errors.js";

const read = (...p: string[]) => readFileSync(join(FIXTURES, ...p), "utf8");
const VECTORS = "norm-vectors-ocm-v1-tests";

// <case>.jsonNormalisation-<v>.txt holds the exact normalised text of <case>.yaml.
const expectedFiles = readdirSync(join(FIXTURES, VECTORS)).filter((f) =>
  /\.jsonNormalisation-[^.]+\.txt$/.test(f),
);

describe("normalisation vectors of the Go v1 tests", () => {
  it("finds the vectors", () => expect(expectedFiles.length).toBeGreaterThanOrEqual(11));

  for (const file of expectedFiles) {
    const [, input, version] = /^(.*)\.jsonNormalisation-(.+)\.txt$/.exec(file) ?? [];
    const algorithm = toNormalisationAlgorithm(`jsonNormalisation/${version}`);
    it(`reproduces ${file}`, () => {
      const cd = parseDescriptorDocument(read(VECTORS, `${input}.yaml`), { source: `${input}.yaml` });
      expect(normalise(cd, algorithm)).toBe(read(VECTORS, file));
    });
  }

  it("gives the transported cd2 the same v1 form as cd1", () => {
    const cd2 = parseDescriptor(read(VECTORS, "cd2-transported.yaml"));
    expect(normalise(cd2, "jsonNormalisation/v1")).toBe(read(VECTORS, "cd1.jsonNormalisation-v1.txt"));
  });

  // SHA256SUMS.txt: the sha256 of each expected text, and for a .yaml line the v1 digest of that descriptor.
  const sums = read(VECTORS, "SHA256SUMS.txt")
    .split("\n")
    .map((line) => /^([0-9a-f]{64})\s+(\S+)/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null);
  for (const [, sum, file] of sums) {
    it(`matches SHA256SUMS for ${file}`, () => {
      const name = file as string;
      if (name.endsWith(".yaml")) {
        const cd = parseDescriptorDocument(read(VECTORS, name));
        expect(digestDescriptor(cd, { normalisation: "jsonNormalisation/v1" }).value).toBe(sum);
        return;
      }
      const [, input, version] = /^(.*)\.jsonNormalisation-(.+)\.txt$/.exec(name) ?? [];
      const cd = parseDescriptorDocument(read(VECTORS, `${input}.yaml`));
      expect(digestDescriptor(cd, { normalisation: `jsonNormalisation/${version}` })).toEqual({
        hashAlgorithm: "SHA-256",
        normalisationAlgorithm: `jsonNormalisation/${version}`,
        value: sum,
      });
    });
  }
});

describe("normalisation of real CLI output", () => {
  const cd = parseDescriptor(read("norm-v3-ocmcli-0.27.0", "input.yaml"));
  const expected = read("norm-v3-ocmcli-0.27.0", "expected.json");

  it("reproduces `ocm hash cv --normalization jsonNormalisation/v3 -onorm` of ocmcli 0.27.0", () => {
    expect(normalise(cd, "jsonNormalisation/v3")).toBe(expected);
    expect(normalise(cd)).toBe(expected);
  });

  it("gives jsonNormalisation/v4alpha1 the same bytes", () => {
    expect(normalise(cd, "jsonNormalisation/v4alpha1")).toBe(expected);
  });

  it("hashes it to the published digest", () => {
    expect(digestDescriptor(cd).value).toBe(
      "c97c44a4dca9fc85d4e634a617b662f72935cc202d52a46aa9367c937458b35b",
    );
  });
});

describe("signed descriptors", () => {
  const signed = [
    { dir: "signed-sigstore-v3norm", file: "component-descriptor-signed.yaml" },
    { dir: "signed-comparch-rsa-v1norm", file: "component-archive/component-descriptor.yaml" },
  ];
  for (const { dir, file } of signed) {
    const cd = parseDescriptor(read(dir, file));
    for (const signature of cd.signatures ?? []) {
      const known = signature.digest.normalisationAlgorithm;
      it(`${dir}: reproduces the digest of signature ${signature.name} (${known})`, () => {
        const digest = digestDescriptor(cd, { normalisation: known, hash: signature.digest.hashAlgorithm });
        if (dir === "signed-comparch-rsa-v1norm") {
          // Signed by an old v1 that did not write "extraIdentity":null (its stored digest is the hash of
          // DERIVED-normalised-legacy-v1.txt); current Go, like this code, writes it and gets cceaa573….
          expect(normalise(cd, "jsonNormalisation/v1")).toBe(read(dir, "DERIVED-normalised-current-v1.txt"));
          expect(digest.value).toBe(hashHex(read(dir, "DERIVED-normalised-current-v1.txt")));
          expect(signature.digest.value).toBe(hashHex(read(dir, "DERIVED-normalised-legacy-v1.txt")));
          return;
        }
        expect(digest.value).toBe(signature.digest.value);
      });
    }
  }

  it("signed-sigstore-v3norm: matches the derived normalised text", () => {
    const cd = parseDescriptor(read("signed-sigstore-v3norm", "component-descriptor-signed.yaml"));
    expect(normalise(cd, "jsonNormalisation/v3")).toBe(
      read("signed-sigstore-v3norm", "DERIVED-normalised-jsonNormalisation-v3.txt"),
    );
  });
});

describe("digest helpers", () => {
  it("computes genericBlobDigest/v1 as hex without prefix", () => {
    expect(genericBlobDigest("test")).toEqual({
      hashAlgorithm: "SHA-256",
      normalisationAlgorithm: "genericBlobDigest/v1",
      value: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    });
  });

  it("supports SHA-512 and legacy hash names", () => {
    const cd = parseDescriptor(read(VECTORS, "cd1.yaml"));
    expect(digestDescriptor(cd, { hash: "SHA-512" }).value).toHaveLength(128);
    expect(digestDescriptor(cd, { hash: "sha256" }).hashAlgorithm).toBe("SHA-256");
  });

  it("refuses unknown algorithms with OCM_NORMALISATION_UNSUPPORTED", () => {
    const cd = parseDescriptor(read(VECTORS, "cd1.yaml"));
    for (const call of [
      () => digestDescriptor(cd, { normalisation: "jsonNormalisation/v9" }),
      () => digestDescriptor(cd, { hash: "MD5" }),
    ]) {
      try {
        call();
        expect.unreachable();
      } catch (error) {
        expect(isOcmError(error) && error.code).toBe("OCM_NORMALISATION_UNSUPPORTED");
      }
    }
  });
});

describe("rules without a Go vector (from the Go code)", () => {
  const withReference = () => {
    const cd = parseDescriptor(read(VECTORS, "duplicate-resource.yaml"));
    cd.component.componentReferences = [
      {
        name: "dep",
        componentName: "acme.org/dep",
        version: "1.0.0",
        labels: [
          { name: "plain", value: 1 },
          { name: "signed", value: "x", signing: true },
        ],
      },
    ];
    return cd;
  };

  it("keeps every label of a component reference in v3 (the Go rule is keyed `references`)", () => {
    expect(normalise(withReference(), "jsonNormalisation/v3")).toContain(
      '"componentReferences":[{"componentName":"acme.org/dep","labels":[{"name":"plain","value":1},{"name":"signed","signing":true,"value":"x"}],"name":"dep","version":"1.0.0"}]',
    );
  });

  it("gives a reference without digest an empty digest in v4alpha1 only", () => {
    expect(normalise(withReference(), "jsonNormalisation/v4alpha1")).toContain(
      '"digest":{"hashAlgorithm":"","normalisationAlgorithm":"","value":""}',
    );
    expect(normalise(withReference(), "jsonNormalisation/v3")).not.toContain('"digest"');
  });

  it("filters reference labels and writes extraIdentity null in v1", () => {
    expect(normalise(withReference(), "jsonNormalisation/v1")).toContain(
      '{"componentReferences":[[{"componentName":"acme.org/dep"},{"extraIdentity":null},{"labels":[[{"name":"signed"},{"signing":true},{"value":"x"}]]},{"name":"dep"},{"version":"1.0.0"}]]}',
    );
  });

  it("escapes <, > and & in v1 as Go's json.Marshal does, and not in JCS", () => {
    const cd = withReference();
    cd.component.labels = [{ name: "l", value: "a<b>&c", signing: true }];
    expect(normalise(cd, "jsonNormalisation/v1")).toContain('{"value":"a\\u003cb\\u003e\\u0026c"}');
    expect(normalise(cd, "jsonNormalisation/v3")).toContain('"value":"a<b>&c"');
  });
});
