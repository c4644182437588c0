import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import {
  componentDescriptorSchema,
  componentDescriptorV3alpha1Schema,
  parseDescriptor,
  parseDescriptorDocument,
} from "../../../core/model/index.js";
import { FIXTURES, descriptorFiles, descriptorLayers } from "./fixtures.js";

const schemaFile = (name: string): object => {
  const text = readFileSync(join(FIXTURES, "schemas", name), "utf8");
  return (name.endsWith(".json") ? JSON.parse(text) : parse(text)) as object;
};

// All three files declare JSON Schema 2020-12. RFC 3339 date-time is checked like Go's time.Parse would.
function compile(name: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat("date-time", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i);
  return ajv.compile(schemaFile(name));
}
const v2Validators = [compile("v2-schema-2020-12.json"), compile("component-descriptor-v2-schema.yaml")];
const v3Validator = compile("component-descriptor-ocm-v3-schema.yaml");

const found = [...descriptorFiles(), ...descriptorLayers()];
const raw = (bytes: Uint8Array) =>
  parse(new TextDecoder().decode(bytes), { schema: "core" }) as Record<string, unknown>;

/** Fixtures the Go JSON schemas reject although the Go tool reads them (the schemas say provider is a string). */
const PROVIDER_OBJECT = new Set(["norm-vectors-ocm-v1-tests/labels-signing-compa.yaml"]);

describe("descriptor schemas", () => {
  it("finds descriptors in the fixtures", () => {
    expect(found.length).toBeGreaterThanOrEqual(15);
    expect(found.filter((f) => f.ctf).length).toBeGreaterThanOrEqual(6);
  });

  for (const { label, bytes } of found) {
    it(`reads ${label}`, () => {
      const doc = parseDescriptorDocument(bytes, { source: label });
      const cd = parseDescriptor(bytes, { source: label });
      expect(cd.meta.schemaVersion).toBe("v2");
      expect(componentDescriptorSchema.safeParse(cd).success).toBe(true);
      const data = raw(bytes);
      if ("apiVersion" in doc) {
        expect(v3Validator(data), JSON.stringify(v3Validator.errors)).toBe(true);
      } else if (!PROVIDER_OBJECT.has(label)) {
        for (const validate of v2Validators)
          expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
      }
    });
  }

  it("accepts a provider object although the Go JSON schemas only allow a string", () => {
    const label = [...PROVIDER_OBJECT][0] ?? "";
    const data = raw(readFileSync(join(FIXTURES, label)));
    for (const validate of v2Validators) expect(validate(data)).toBe(false);
    expect(componentDescriptorSchema.safeParse(data).success).toBe(true);
  });

  const base = (): Record<string, unknown> =>
    structuredClone(raw(readFileSync(join(FIXTURES, "norm-vectors-ocm-v1-tests/cd1.yaml"))));
  // Mutations of untyped YAML data; the point is to write invalid shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type Untyped = Record<string, any>;
  const invalid: [string, (cd: Untyped) => void][] = [
    ["without meta", (cd) => delete cd["meta"]],
    ["without a component name", (cd) => delete cd["component"].name],
    ["with a component name without a path", (cd) => (cd["component"].name = "acme.org")],
    ["with a non-semver component version", (cd) => (cd["component"].version = "latest")],
    ["without resources", (cd) => delete cd["component"].resources],
    ["with a numeric provider", (cd) => (cd["component"].provider = 42)],
    ["with an unknown relation", (cd) => (cd["component"].resources[0].relation = "internal")],
    ["with a resource without access", (cd) => delete cd["component"].resources[0].access],
    ["with an access without type", (cd) => delete cd["component"].resources[0].access.type],
    ["with an upper-case resource name", (cd) => (cd["component"].resources[0].name = "Image")],
    ["with a label without name", (cd) => (cd["component"].resources[0].labels = [{ value: 1 }])],
    ["with a digest without value", (cd) => delete cd["component"].resources[0].digest.value],
    ["with a source without type", (cd) => delete cd["component"].sources[0].type],
    [
      "with a reference without componentName",
      (cd) => (cd["component"].componentReferences = [{ name: "ref", version: "1.0.0" }]),
    ],
    [
      "with a signature without digest",
      (cd) => (cd["signatures"] = [{ name: "s", signature: { algorithm: "a", value: "v", mediaType: "m" } }]),
    ],
  ];
  for (const [title, mutate] of invalid) {
    it(`rejects a descriptor ${title}, as the JSON schemas do`, () => {
      const cd = base();
      mutate(cd);
      for (const validate of v2Validators) expect(validate(cd)).toBe(false);
      expect(componentDescriptorSchema.safeParse(cd).success).toBe(false);
    });
  }

  it("rejects schemaVersion v3 as the V2 JSON schema does (the V1 schema only asks for a string)", () => {
    const cd = base();
    (cd["meta"] as Record<string, unknown>)["schemaVersion"] = "v3";
    expect(v2Validators[0]?.(cd)).toBe(false);
    expect(componentDescriptorSchema.safeParse(cd).success).toBe(false);
  });

  it("rejects an invalid v3alpha1 descriptor, as its JSON schema does", () => {
    const cd = raw(
      readFileSync(join(FIXTURES, "norm-vectors-ocm-v1-tests/v3alpha1-labels-provider-labels.yaml")),
    );
    (cd["metadata"] as Record<string, unknown>)["name"] = "no-domain";
    expect(v3Validator(cd)).toBe(false);
    expect(componentDescriptorV3alpha1Schema.safeParse(cd).success).toBe(false);
  });
});
