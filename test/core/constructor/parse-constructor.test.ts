// Constructor files as users write them: the examples shipped with the repository and OCM's own test
// constructors parse, and every mistake names the file, the line or the dot path of the bad field.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConstructor } from "../../../core/index.js";
import { REPO_ROOT } from "../../helpers/executables.js";

function parseError(text: string, source = "/work/component-constructor.yaml") {
  try {
    parseConstructor(text, { source });
  } catch (error) {
    return error as { code?: string; message: string; details?: Record<string, unknown> };
  }
  return expect.fail("expected the constructor to be refused");
}

const component = (resources: string) =>
  `components:\n  - name: acme.org/x\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n${resources}`;

describe("parseConstructor", () => {
  it("reads the example constructor with its file, dir, utf8 and access resources", async () => {
    const path = join(REPO_ROOT, "examples/component-constructor.yaml");
    const parsed = parseConstructor(await readFile(path, "utf8"), { source: path });
    expect(parsed.components).toHaveLength(1);
    const [hello] = parsed.components;
    expect(hello).toMatchObject({ name: "acme.org/hello", version: "1.0.0", provider: { name: "acme.org" } });
    expect(hello?.resources?.map((r) => [r.name, r.input?.type ?? r.access?.type])).toEqual([
      ["readme", "file"],
      ["site", "dir"],
      ["greeting", "utf8"],
      ["image", "ociArtifact"],
    ]);
    expect(hello?.resources?.[2]?.extraIdentity).toEqual({ language: "en" });
  });

  it.each(["ctf-v0.20-localblob", "ctf-v0.20-ociartifact"])(
    "reads the constructor the OCM Go tool used for the %s fixture",
    async (fixture) => {
      const path = join(REPO_ROOT, "test/fixtures/ocm", fixture, "component-constructor.yaml");
      const parsed = parseConstructor(await readFile(path, "utf8"), { source: path });
      expect(parsed.components.map((c) => `${c.name}:${c.version}`)).toEqual([
        "github.com/acme.org/helloworld:1.0.0",
      ]);
      expect(parsed.components[0]?.resources?.[0]).toMatchObject({ version: "6.7.1" });
    },
  );

  it("accepts a single component at the top level without a components list", () => {
    const parsed = parseConstructor(
      "name: acme.org/single\nversion: 0.1.0\nprovider: acme.org\nresources:\n  - name: r\n    type: blob\n    input: {type: utf8, text: hi}\n",
    );
    expect(parsed.components).toHaveLength(1);
    expect(parsed.components[0]).toMatchObject({ name: "acme.org/single", provider: "acme.org" });
  });

  it("keeps component references under either key", () => {
    const parsed = parseConstructor(
      "components:\n  - name: acme.org/a\n    version: 1.0.0\n    provider: acme\n    componentReferences:\n      - {name: b, componentName: acme.org/b, version: 2.0.0}\n    references:\n      - {name: c, componentName: acme.org/c, version: 3.0.0}\n",
    );
    expect(parsed.components[0]?.componentReferences).toEqual([
      { name: "b", componentName: "acme.org/b", version: "2.0.0" },
    ]);
    expect(parsed.components[0]?.references).toEqual([
      { name: "c", componentName: "acme.org/c", version: "3.0.0" },
    ]);
  });

  it("leaves an input type it does not know to the input plugins", () => {
    const parsed = parseConstructor(
      component(
        "      - name: chart\n        type: helmChart\n        input: {type: helm, path: ./chart, repository: charts}\n",
      ),
    );
    expect(parsed.components[0]?.resources?.[0]?.input).toEqual({
      type: "helm",
      path: "./chart",
      repository: "charts",
    });
  });

  it("refuses malformed YAML naming the file and the line", () => {
    const error = parseError("components:\n  - name: acme.org/x\n    version: [1.0.0\n    provider: acme\n");
    expect(error.code).toBe("OCM_CONSTRUCTOR_INVALID");
    expect(error.message).toContain("/work/component-constructor.yaml");
    expect(error.message).toMatch(/line \d+/);
  });

  it("names the line of a YAML mistake where the parser finds it", () => {
    const error = parseError("components:\n  - name: acme.org/x\n   version: 1.0.0\n");
    expect(error.code).toBe("OCM_CONSTRUCTOR_INVALID");
    expect(error.message).toMatch(/line 3\b/);
  });

  it("names the dot path of a resource's missing type", () => {
    const error = parseError(
      component(
        "      - name: ok\n        type: blob\n        input: {type: utf8, text: a}\n      - name: bad\n        input: {type: utf8, text: b}\n",
      ),
    );
    expect(error.code).toBe("OCM_CONSTRUCTOR_INVALID");
    expect(error.message).toContain("/work/component-constructor.yaml");
    expect(error.message).toContain("components.0.resources.1.type");
    expect(error.details).toMatchObject({ path: "components.0.resources.1.type" });
  });

  it("refuses a resource with both input and access, naming the resource", () => {
    const error = parseError(
      component(
        "      - name: both\n        type: blob\n        input: {type: utf8, text: a}\n        access: {type: ociArtifact, imageReference: ghcr.io/x:1}\n",
      ),
    );
    expect(error.code).toBe("OCM_CONSTRUCTOR_INVALID");
    expect(error.message).toContain("components.0.resources.0");
    expect(error.message).toMatch(/exactly one of `input` or `access`/);
  });

  it("refuses a resource with neither input nor access", () => {
    const error = parseError(component("      - name: none\n        type: blob\n"));
    expect(error.message).toMatch(/components\.0\.resources\.0: .*exactly one of `input` or `access`/);
  });

  it("refuses an empty file and an empty components list", () => {
    const blank = parseError("# nothing here\n");
    expect(blank.code).toBe("OCM_CONSTRUCTOR_INVALID");
    expect(blank.message).toBe("/work/component-constructor.yaml: the constructor is empty");
    const empty = parseError("components: []\n");
    expect(empty.code).toBe("OCM_CONSTRUCTOR_INVALID");
    expect(empty.message).toContain("components");
  });

  it("refuses a component reference without a version, naming its dot path", () => {
    const error = parseError(
      "components:\n  - name: acme.org/a\n    version: 1.0.0\n    provider: acme\n    componentReferences:\n      - {name: b, componentName: acme.org/b}\n",
    );
    expect(error.message).toContain("components.0.componentReferences.0.version");
  });
});

describe("parseConstructor and element identities (#10)", () => {
  const resource = (name: string, extra = "") =>
    `      - name: ${name}\n        type: blob\n${extra}        input: {type: utf8, text: x}\n`;

  it("refuses two resources of one identity and names both entries (#10)", () => {
    const error = parseError(component(resource("a") + resource("b") + resource("a")));
    expect(error.code).toBe("OCM_CONSTRUCTOR_INVALID");
    expect(error.message).toBe(
      "/work/component-constructor.yaml: components.0.resources.0 and components.0.resources.2 are resources with the same identity name=a,version=1.0.0; neither could be addressed",
    );
  });

  it("accepts resources of one name told apart by extraIdentity or version (#10)", () => {
    const parsed = parseConstructor(
      component(
        resource("a", "        extraIdentity: {os: linux}\n") +
          resource("a", "        extraIdentity: {os: darwin}\n") +
          resource("a", "        version: 2.0.0\n") +
          resource("a"),
      ),
    );
    expect(parsed.components[0]?.resources).toHaveLength(4);
  });

  it("refuses a resource whose version only repeats the component's default (#10)", () => {
    const error = parseError(component(resource("a") + resource("a", "        version: 1.0.0\n")));
    expect(error.message).toContain("components.0.resources.0 and components.0.resources.1");
  });

  it("refuses references of one identity across componentReferences and references (#10)", () => {
    const ref = "      - {name: lib, componentName: acme.org/lib, version: 1.0.0}\n";
    const error = parseError(
      `components:\n  - name: acme.org/x\n    version: 1.0.0\n    provider: acme.org\n    componentReferences:\n${ref}    references:\n${ref}`,
    );
    expect(error.message).toContain(
      "components.0.componentReferences.0 and components.0.references.0 are references with the same identity name=lib,version=1.0.0",
    );
  });

  it("refuses the same component version twice (#10)", () => {
    const error = parseError(
      "components:\n  - {name: acme.org/x, version: 1.0.0, provider: acme.org}\n  - {name: acme.org/x, version: 1.0.0, provider: acme.org}\n",
    );
    expect(error.message).toContain(
      "components.0 and components.1 are component versions with the same identity",
    );
  });
});
