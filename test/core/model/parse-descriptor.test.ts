import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isOcmError, type OcmError } from "../../../core/errors.js";
import {
  convertV3alpha1ToV2,
  normalise,
  parseDescriptor,
  parseDescriptorDocument,
  providerOf,
  serializeDescriptorYaml,
} from "../../../core/model/index.js";
import { FIXTURES } from "./fixtures.js";

const cd1 = readFileSync(join(FIXTURES, "norm-vectors-ocm-v1-tests/cd1.yaml"), "utf8");

function errorOf(fn: () => unknown): OcmError {
  try {
    fn();
  } catch (error) {
    if (isOcmError(error)) return error;
    throw error;
  }
  throw new Error("expected an error");
}

describe("parseDescriptor", () => {
  it("reads YAML and JSON text and bytes alike", () => {
    const fromYaml = parseDescriptor(cd1);
    expect(parseDescriptor(JSON.stringify(fromYaml))).toEqual(fromYaml);
    expect(parseDescriptor(new TextEncoder().encode(cd1))).toEqual(fromYaml);
    expect(fromYaml.component.resources.map((r) => r.access.type)).toEqual([
      "localBlob",
      "localBlob",
      "localBlob",
    ]);
  });

  it("keeps timestamps and quoted versions as strings (YAML 1.2 core schema)", () => {
    const text = cd1.replace(
      "version: 1.0.0\n  meta",
      'version: "1.0"\n    creationTime: 2025-03-18T09:44:42Z\n  meta',
    );
    const cd = parseDescriptor(text);
    expect(cd.component.version).toBe("1.0");
    expect(cd.component.creationTime).toBe("2025-03-18T09:44:42Z");
  });

  it("names the source, the dot path and the expectation of a bad field", () => {
    const error = errorOf(() =>
      parseDescriptor(cd1.replace("name: introspect-image", "name: Introspect Image"), {
        source: "cd1.yaml",
      }),
    );
    expect(error.code).toBe("OCM_DESCRIPTOR_INVALID");
    expect(error.message).toContain("cd1.yaml");
    expect(error.message).toContain("component.resources.0.name");
    expect(error.message).toContain('"Introspect Image"');
    expect(error.hint).toBeTruthy();
    expect(error.details).toMatchObject({ source: "cd1.yaml", path: "component.resources.0.name" });
  });

  it("reports a missing field as missing", () => {
    const error = errorOf(() =>
      parseDescriptor(cd1.replace(/^ *relation: external\n/m, ""), { source: "x" }),
    );
    expect(error.message).toMatch(/component\.resources\.2\.relation .*missing/);
  });

  it("refuses text that is not YAML, and YAML that is not a mapping", () => {
    expect(errorOf(() => parseDescriptor("a: [b", { source: "broken.yaml" })).message).toMatch(
      /^broken\.yaml: not valid YAML/,
    );
    expect(errorOf(() => parseDescriptor("- a")).code).toBe("OCM_DESCRIPTOR_INVALID");
  });

  it("reads null lists as empty lists", () => {
    const cd = parseDescriptor(cd1.replace("componentReferences: []", "componentReferences: null"));
    expect(cd.component.componentReferences).toEqual([]);
  });
});

describe("ocm.software/v3alpha1", () => {
  const text = readFileSync(
    join(FIXTURES, "norm-vectors-ocm-v1-tests/v3alpha1-labels-provider-labels.yaml"),
    "utf8",
  );

  it("converts to v2 with the provider labels in the JSON-string provider", () => {
    const cd = parseDescriptor(text);
    expect(cd.meta.schemaVersion).toBe("v2");
    expect(cd.component.name).toBe("github.com/vasu1124/introspect");
    expect(typeof cd.component.provider).toBe("string");
    expect(providerOf(cd.component)).toEqual({
      name: "internal",
      labels: [
        { name: "volatile", value: "prov-value1" },
        { name: "non-volatile", value: "prov-value2", signing: true },
      ],
    });
    expect(cd.component.labels).toHaveLength(2);
    expect(cd.component.repositoryContexts).toEqual([
      { baseUrl: "ghcr.io/vasu1124/ocm", componentNameMapping: "urlPath", type: "ociRegistry" },
    ]);
    expect(serializeDescriptorYaml(cd)).toContain('provider: \'{"name":"internal","labels":[');
  });

  it("normalises the converted descriptor like the v2 form for v2 and later", () => {
    const doc = parseDescriptorDocument(text);
    expect("apiVersion" in doc).toBe(true);
    if (!("apiVersion" in doc)) return;
    expect(normalise(doc, "jsonNormalisation/v3")).toBe(
      normalise(convertV3alpha1ToV2(doc), "jsonNormalisation/v3"),
    );
  });

  it("names the dot path of a bad v3alpha1 field", () => {
    const error = errorOf(() => parseDescriptor(text.replace("kind: ComponentVersion", "kind: Component")));
    expect(error.message).toContain("kind");
  });
});
