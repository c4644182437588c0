// The descriptor layer is written byte for byte as the Go tool writes it, so its digest matches Go's.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildDescriptorLayer, readDescriptorLayer } from "../../../sdk/oci-layout/index.js";
import { FIXTURES, sha256 } from "./helpers.js";

const LAYERS = [
  [
    "ctf-v0.20-localblob/transport-archive",
    "7164be671f47d4f2b427363b3efd144c2705219e5046d23a28a181ce602cf152",
    2560,
  ],
  ["ctf-v0.18-extraidentity", "a4b84597729cfa026c51a47e903f449ad7b4a9ec9897f2084b982a66fcdbfb5f", 4608],
  [
    "ctf-v0.20-ociartifact/with-resource",
    "32aacda7b64939ff7ace455250d3fcefae2c1ba413252b1e2690440f54c13eed",
    2560,
  ],
] as const;

const MEDIA_TYPE = "application/vnd.ocm.software.component-descriptor.v2+yaml+tar";

describe("descriptor layer", () => {
  it.each(LAYERS)("rewrites the layer of %s with the same sha256 and size", async (ctf, hex, size) => {
    const original = await readFile(join(FIXTURES, ctf, "blobs", `sha256.${hex}`));
    const cd = readDescriptorLayer(original, MEDIA_TYPE, ctf);
    const rebuilt = buildDescriptorLayer(cd);
    expect(rebuilt.length).toBe(size);
    expect(sha256(rebuilt)).toBe(hex);
    expect(Buffer.from(rebuilt).equals(original)).toBe(true);
  });

  it("reads JSON, YAML and legacy gardener layer media types", async () => {
    const [ctf, hex] = LAYERS[0];
    const cd = readDescriptorLayer(
      await readFile(join(FIXTURES, ctf, "blobs", `sha256.${hex}`)),
      MEDIA_TYPE,
      ctf,
    );
    const json = new TextEncoder().encode(JSON.stringify(cd));
    for (const type of [
      "application/vnd.ocm.software.component-descriptor.v2+json",
      "application/vnd.ocm.software.component-descriptor.v2+yaml",
      "application/vnd.gardener.cloud.cnudie.component-descriptor.v2+json",
    ]) {
      expect(readDescriptorLayer(json, type, "test").component.name).toBe("github.com/acme.org/helloworld");
    }
    const legacy = readDescriptorLayer(
      buildDescriptorLayer(cd),
      "application/vnd.gardener.cloud.cnudie.component-descriptor.v2+yaml+tar",
      "test",
    );
    expect(legacy).toEqual(cd);
    expect(() => readDescriptorLayer(json, "application/x-unknown", "test")).toThrow(
      /unsupported descriptor layer/,
    );
  });
});
