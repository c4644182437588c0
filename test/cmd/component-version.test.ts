// The main job on the embedded default, as a user runs it: `ocm add cv` into a CTF on disk, then `ocm get cv`,
// `ocm get resources`, `ocm download resource` and `ocm hash cv`, with a real CLI process and real files.
import { createHash } from "node:crypto";
import { cp, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ocmCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const EXAMPLES = join(REPO_ROOT, "examples");
const FIXTURES = join(REPO_ROOT, "test/fixtures/ocm");

const cli = ocmCli;

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

describe.each(["directory", "tar", "tgz"])("ocm add cv into a %s CTF, then read it back", (format) => {
  it("adds the example component version and reads, lists, downloads and hashes it", async () => {
    const ocm = await cli();
    const ctf = join(await useTempDir(), format === "directory" ? "ctf" : `ctf.${format}`);
    const added = await ocm(
      "add",
      "cv",
      "--create",
      "--type",
      format,
      "--repository",
      ctf,
      "--constructor",
      join(EXAMPLES, "component-constructor.yaml"),
    );
    expect(added.stderr).toBe("");
    expect(added.exitCode).toBe(0);
    expect(added.stdout).toMatch(/acme\.org\/hello\s+1\.0\.0\s+4/);

    const table = await ocm("get", "cv", `${ctf}//acme.org/hello`);
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/COMPONENT\s+VERSION\s+PROVIDER\nacme\.org\/hello\s+1\.0\.0\s+acme\.org/);

    const json = await ocm("get", "cv", `${ctf}//acme.org/hello:1.0.0`, "-o", "json");
    const descriptor = JSON.parse(json.stdout) as {
      component: { resources: Record<string, unknown>[]; labels: unknown };
    };
    expect(descriptor.component.labels).toEqual([{ name: "purpose", value: "demo" }]);
    const readme = descriptor.component.resources.find((r) => r["name"] === "readme") as Record<
      string,
      unknown
    >;
    const readmeBytes = await readFile(join(EXAMPLES, "hello/README.txt"));
    expect(readme).toMatchObject({
      type: "plainText",
      relation: "local",
      version: "1.0.0",
      access: { type: "localBlob", localReference: `sha256:${sha256(readmeBytes)}`, mediaType: "text/plain" },
      digest: {
        hashAlgorithm: "SHA-256",
        normalisationAlgorithm: "genericBlobDigest/v1",
        value: sha256(readmeBytes),
      },
    });

    const resources = await ocm("get", "resources", `${ctf}//acme.org/hello:1.0.0`);
    expect(resources.stdout).toMatch(/greeting\s+1\.0\.0\s+language=en\s+plainText\s+local\s+localBlob/);
    expect(resources.stdout).toMatch(/image\s+1\.25\.0\s+ociImage\s+external\s+ociArtifact/);

    const out = join(await useTempDir(), "readme.txt");
    const download = await ocm("download", "resource", `${ctf}//acme.org/hello:1.0.0`, "readme", "-O", out);
    expect(download.exitCode).toBe(0);
    expect((await readFile(out)).equals(readmeBytes)).toBe(true);
    const greeting = join(await useTempDir(), "greeting.txt");
    await ocm(
      "download",
      "resource",
      `${ctf}//acme.org/hello:1.0.0`,
      "--identity",
      "name=greeting,language=en",
      "-O",
      greeting,
    );
    expect(await readFile(greeting, "utf8")).toBe("Hello, OCM!");

    const hash = await ocm("hash", "cv", `${ctf}//acme.org/hello:1.0.0`, "-o", "json");
    expect(hash.exitCode).toBe(0);
    const digest = JSON.parse(hash.stdout) as unknown;
    expect(JSON.stringify(digest)).toMatch(/"value": ?"[0-9a-f]{64}"/);
  });
});

describe("ocm get cv", () => {
  it("reads the Go tool's CTF archives and lists a missing version's alternatives", async () => {
    const ocm = await cli();
    for (const archive of ["transport-archive", "transport-archive.tar", "transport-archive.tar.gz"]) {
      const ref = `${join(FIXTURES, "ctf-v0.20-localblob", archive)}//github.com/acme.org/helloworld`;
      const table = await ocm("get", "cv", ref);
      expect(table.stdout, archive).toMatch(/github\.com\/acme\.org\/helloworld\s+1\.0\.0\s+acme\.org/);
      const missing = await ocm("get", "cv", `${ref}:9.9.9`);
      expect(missing.exitCode).toBe(1);
      expect(missing.stderr).toContain("9.9.9");
      expect(missing.stderr).toMatch(/Try: .*1\.0\.0/);
    }
  });

  it("downloads a resource of a Go-written archive byte for byte", async () => {
    const ocm = await cli();
    const out = join(await useTempDir(), "resource");
    const ref = `${join(FIXTURES, "ctf-v0.20-localblob/transport-archive")}//github.com/acme.org/helloworld:1.0.0`;
    const result = await ocm("download", "resource", ref, "resource", "-O", out);
    expect(result.stderr).toBe("");
    expect(await readFile(out, "utf8")).toBe("test");
  });
});

describe("bad input", () => {
  it("names the constructor file and the dot path of a bad field", async () => {
    const ocm = await cli();
    const dir = await useTempDir();
    const constructor = join(dir, "constructor.yaml");
    await writeFile(
      constructor,
      "components:\n  - name: acme.org/x\n    version: 1.0.0\n    provider: {name: acme}\n    resources:\n      - type: blob\n        input: {type: utf8, text: hi}\n",
    );
    const result = await ocm(
      "add",
      "cv",
      "--create",
      "--repository",
      join(dir, "ctf"),
      "--constructor",
      constructor,
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(constructor);
    expect(result.stderr).toContain("components.0.resources.0.name");
    expect(result.stderr).toContain("Code: OCM_CONSTRUCTOR_INVALID");
  });

  it("refuses a CTF blob whose bytes were tampered with and writes nothing", async () => {
    const ocm = await cli();
    const copy = join(await useTempDir(), "archive");
    await cp(join(FIXTURES, "ctf-v0.20-localblob/transport-archive"), copy, { recursive: true });
    const blob = join(copy, "blobs", `sha256.${sha256("test")}`);
    await writeFile(blob, "tost");
    const out = join(await useTempDir(), "resource");
    const result = await ocm(
      "download",
      "resource",
      `${copy}//github.com/acme.org/helloworld:1.0.0`,
      "resource",
      "-O",
      out,
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Code: OCM_REPOSITORY_DIGEST_MISMATCH");
    expect(await readdir(join(out, ".."))).toEqual([]);
  });
});
