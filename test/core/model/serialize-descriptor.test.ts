import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  normalise,
  parseDescriptor,
  serializeDescriptorJson,
  serializeDescriptorYaml,
} from "../../../core/model/index.js";
import { FIXTURES, descriptorLayers } from "./fixtures.js";

const layers = descriptorLayers();

describe("serializeDescriptorYaml", () => {
  it("finds the descriptor layers of the Go-written CTFs", () => {
    expect(layers.map((l) => l.ctf)).toEqual(
      expect.arrayContaining([
        "ctf-v0.20-localblob/transport-archive",
        "ctf-v0.20-ociartifact/with-resource",
        "ctf-v0.20-ociartifact/without-resource",
        "ctf-v0.18-extraidentity",
        "ctf-v0.20-localblob/transport-archive.tar",
        "ctf-v0.20-localblob/transport-archive.tar.gz",
      ]),
    );
  });

  // OCM Go 0.18 and 0.20 write the same style: sorted keys, unindented lists, quoted creationTime.
  for (const layer of layers) {
    it(`writes component-descriptor.yaml of ${layer.label} byte for byte`, () => {
      const text = new TextDecoder().decode(layer.bytes);
      expect(serializeDescriptorYaml(parseDescriptor(layer.bytes, { source: layer.label }))).toBe(text);
    });
  }

  it("quotes strings that YAML 1.1 would read as another type, as go-yaml does", () => {
    const cd = parseDescriptor(new TextDecoder().decode(layers[0]?.bytes));
    cd.component.labels = [
      {
        name: "n",
        value: { a: "yes", b: "1.0", c: "on", d: "", e: "0755", f: "a: b", g: "plain text", n: "2025-01-02" },
      },
    ];
    const yaml = serializeDescriptorYaml(cd);
    expect(yaml).toContain(
      [
        '  - name: "n"',
        "    value:",
        '      a: "yes"',
        '      b: "1.0"',
        '      c: "on"',
        '      d: ""',
        '      e: "0755"',
        "      f: 'a: b'",
        "      g: plain text",
        '      "n": "2025-01-02"',
      ].join("\n"),
    );
    expect(parseDescriptor(yaml)).toEqual(cd);
  });

  it("leaves out empty optional fields as Go's omitempty does", () => {
    const legacy = readFileSync(
      join(FIXTURES, "comparch-legacy/descriptor/component-descriptor.yaml"),
      "utf8",
    );
    const cd = parseDescriptor(legacy);
    expect(cd.component.resources[0]?.extraIdentity).toEqual({});
    const yaml = serializeDescriptorYaml(cd);
    expect(yaml).not.toMatch(/extraIdentity|labels: \[\]/);
    expect(yaml).toContain(
      "- access:\n      imageReference: eu.gcr.io/gardener-project/gardener/apiserver:v1.7.4\n      type: ociRegistry\n    name: apiserver\n",
    );
    expect(normalise(parseDescriptor(yaml), "jsonNormalisation/v1")).toBe(
      normalise(cd, "jsonNormalisation/v1"),
    );
  });
});

describe("go-yaml line folding", () => {
  const words =
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore";

  it("breaks a long plain value at the first single space past column 80, indented two past its key", () => {
    const cd = parseDescriptor(new TextDecoder().decode(layers[0]?.bytes));
    cd.component.labels = [{ name: "description", value: `${words} et dolore magna aliqua` }];
    const yaml = serializeDescriptorYaml(cd);
    // "    value: " is 11 columns: the space after "eiusmod" is at column 80, the one after "tempor" at 87.
    expect(yaml).toContain(
      "  - name: description\n    value: lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\n      incididunt ut labore et dolore magna aliqua\n",
    );
    expect(parseDescriptor(yaml)).toEqual(cd);
  });

  it("folds single-quoted values and leaves literal blocks and keys alone", () => {
    const cd = parseDescriptor(new TextDecoder().decode(layers[0]?.bytes));
    const multiline = `${words}\n${words}\n`;
    cd.component.labels = [{ name: "q", value: { [`k`]: `: ${words}`, block: multiline } }];
    const yaml = serializeDescriptorYaml(cd);
    expect(yaml).toContain(`      block: |\n        ${words}\n        ${words}\n`);
    expect(yaml).toContain(
      "      k: ': lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod\n        tempor incididunt ut labore'",
    );
    expect(parseDescriptor(yaml)).toEqual(cd);
  });
});

describe("serializeDescriptorJson", () => {
  it("writes compact JSON in the Go struct field order that reads back to the same descriptor", () => {
    const layer = layers.find((l) => l.ctf === "ctf-v0.20-localblob/transport-archive");
    const cd = parseDescriptor(layer?.bytes ?? "");
    const json = serializeDescriptorJson(cd);
    expect(json).toBe(
      '{"meta":{"schemaVersion":"v2"},"component":{"name":"github.com/acme.org/helloworld","version":"1.0.0",' +
        '"creationTime":"2025-03-18T09:44:42Z","repositoryContexts":[],"provider":"acme.org","resources":[{"name":"resource",' +
        '"version":"6.7.1","type":"something","relation":"local","access":{"localReference":"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",' +
        '"mediaType":"application/octet-stream","type":"localBlob"},"digest":{"hashAlgorithm":"SHA-256","normalisationAlgorithm":"genericBlobDigest/v1",' +
        '"value":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}}],"sources":[],"componentReferences":[]}}',
    );
    expect(parseDescriptor(json)).toEqual(cd);
  });

  it("escapes <, > and & as Go's encoding/json does", () => {
    const cd = parseDescriptor(new TextDecoder().decode(layers[0]?.bytes));
    cd.component.labels = [{ name: "html", value: "<a&b>" }];
    expect(serializeDescriptorJson(cd)).toContain(
      '"labels":[{"name":"html","value":"\\u003ca\\u0026b\\u003e"}]',
    );
  });
});
