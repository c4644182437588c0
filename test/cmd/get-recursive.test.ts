// `ocm get cv -r` and `ocm get resources -r` as a user runs them: two component versions built from one
// constructor, the first referencing the second, read back from a CTF on disk through the real CLI.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ocmCli } from "../helpers/cli.js";
import { useTempDir } from "../helpers/temp-dir.js";

const cli = ocmCli;

const APP_AND_LIB = `components:
  - name: acme.org/app
    version: 1.0.0
    provider:
      name: acme.org
    componentReferences:
      - name: lib
        componentName: acme.org/lib
        version: 2.0.0
    resources:
      - name: config
        type: plainText
        input: {type: utf8, text: "port: 8080", mediaType: text/plain}
  - name: acme.org/lib
    version: 2.0.0
    provider: acme.org
    resources:
      - name: library
        type: blob
        input: {type: binary, data: AAECAw==}
      - name: image
        type: ociImage
        version: 2.0.0
        access: {type: ociArtifact, imageReference: ghcr.io/acme/lib:2.0.0}
`;

/** Adds the constructor's component versions to a new CTF directory and returns its path. */
async function buildCtf(ocm: Awaited<ReturnType<typeof cli>>, constructorText: string): Promise<string> {
  const dir = await useTempDir();
  const constructor = join(dir, "component-constructor.yaml");
  await writeFile(constructor, constructorText);
  const ctf = join(dir, "ctf");
  const added = await ocm("add", "cv", "--create", "--repository", ctf, "--constructor", constructor);
  expect(added.stderr).toBe("");
  expect(added.exitCode).toBe(0);
  return ctf;
}

describe("ocm get cv --recursive", () => {
  it("shows the component version and the one it references, referrer first", async () => {
    const ocm = await cli();
    const ctf = await buildCtf(ocm, APP_AND_LIB);

    const plain = await ocm("get", "cv", `${ctf}//acme.org/app:1.0.0`);
    expect(plain.exitCode).toBe(0);
    expect(plain.stdout).not.toContain("acme.org/lib");

    const table = await ocm("get", "cv", `${ctf}//acme.org/app:1.0.0`, "-r");
    expect(table.stderr).toBe("");
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(
      /COMPONENT\s+VERSION\s+PROVIDER\nacme\.org\/app\s+1\.0\.0\s+acme\.org\nacme\.org\/lib\s+2\.0\.0\s+acme\.org/,
    );

    const json = await ocm("get", "cv", `${ctf}//acme.org/app:1.0.0`, "--recursive", "-o", "json");
    expect(json.exitCode).toBe(0);
    const { items } = JSON.parse(json.stdout) as {
      items: { component: { name: string; version: string; componentReferences: unknown[] } }[];
    };
    expect(items.map((d) => `${d.component.name}:${d.component.version}`)).toEqual([
      "acme.org/app:1.0.0",
      "acme.org/lib:2.0.0",
    ]);
    expect(items[0]?.component.componentReferences).toEqual([
      { name: "lib", componentName: "acme.org/lib", version: "2.0.0" },
    ]);
  });

  it("lists the resources of both component versions with get resources -r", async () => {
    const ocm = await cli();
    const ctf = await buildCtf(ocm, APP_AND_LIB);

    const table = await ocm("get", "resources", `${ctf}//acme.org/app:1.0.0`, "-r");
    expect(table.stderr).toBe("");
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/acme\.org\/app:1\.0\.0\s+config\s+1\.0\.0\s+plainText\s+local\s+localBlob/);
    expect(table.stdout).toMatch(/acme\.org\/lib:2\.0\.0\s+library\s+2\.0\.0\s+blob\s+local\s+localBlob/);
    expect(table.stdout).toMatch(
      /acme\.org\/lib:2\.0\.0\s+image\s+2\.0\.0\s+ociImage\s+external\s+ociArtifact/,
    );

    const json = await ocm("get", "resources", `${ctf}//acme.org/app:1.0.0`, "-r", "-o", "json");
    const { items } = JSON.parse(json.stdout) as { items: { component: string; name: string }[] };
    expect(items.map((r) => `${r.component} ${r.name}`)).toEqual([
      "acme.org/app:1.0.0 config",
      "acme.org/lib:2.0.0 library",
      "acme.org/lib:2.0.0 image",
    ]);

    const flat = await ocm("get", "resources", `${ctf}//acme.org/app:1.0.0`);
    expect(flat.stdout).toContain("config");
    expect(flat.stdout).not.toContain("library");
  });

  it("follows references given under the references key and shows a shared one once", async () => {
    const ocm = await cli();
    const ctf = await buildCtf(
      ocm,
      `components:
  - name: acme.org/top
    version: 1.0.0
    provider: acme.org
    references:
      - {name: left, componentName: acme.org/left, version: 1.0.0}
      - {name: right, componentName: acme.org/right, version: 1.0.0}
  - name: acme.org/left
    version: 1.0.0
    provider: acme.org
    componentReferences:
      - {name: base, componentName: acme.org/base, version: 1.0.0}
  - name: acme.org/right
    version: 1.0.0
    provider: acme.org
    componentReferences:
      - {name: base, componentName: acme.org/base, version: 1.0.0}
  - name: acme.org/base
    version: 1.0.0
    provider: acme.org
`,
    );
    const json = await ocm("get", "cv", `${ctf}//acme.org/top:1.0.0`, "-r", "-o", "json");
    expect(json.stderr).toBe("");
    const { items } = JSON.parse(json.stdout) as { items: { component: { name: string } }[] };
    expect(items.map((d) => d.component.name)).toEqual([
      "acme.org/top",
      "acme.org/left",
      "acme.org/right",
      "acme.org/base",
    ]);
  });

  it("names the missing referenced component version and who references it", async () => {
    const ocm = await cli();
    const ctf = await buildCtf(
      ocm,
      APP_AND_LIB.replace(
        "componentName: acme.org/lib\n        version: 2.0.0",
        "componentName: acme.org/lib\n        version: 9.9.9",
      ),
    );
    const result = await ocm("get", "cv", `${ctf}//acme.org/app:1.0.0`, "-r");
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("acme.org/lib:9.9.9");
    expect(result.stderr).toContain("acme.org/app:1.0.0");
    expect(result.stderr).toContain("Code: OCM_REPOSITORY_NOT_FOUND");
    expect(result.stderr).toMatch(/Caused by: .*version 9\.9\.9 of acme\.org\/lib not found/);
  });
});
