// A repository plugin in Perl 5.36 with core modules only, written from docs/plugin-authors.md alone
// (test/fixtures/plugins/perl/dir_repository.pl): it passes `ocm plugin verify`, and a component version with a
// file resource goes CTF → Perl repository → new CTF and reads back byte for byte; `ocm add cv` writes into the
// Perl repository directly (a chunked upload).
import { createHash, randomBytes } from "node:crypto";
import { chmod, copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ocmCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";

const PLUGIN = join(REPO_ROOT, "test/fixtures/plugins/perl/dir_repository.pl");
const COMPONENT = "acme.org/perl";
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

interface Resource {
  name: string;
  access: { type: string; localReference?: string };
  digest?: { value: string };
}

/** `ocm` with the Perl plugin in a plugin directory, run in a fresh home holding a constructor with a file. */
async function setup() {
  const cli = await ocmCli();
  const plugins = join(cli.home, "plugins");
  await mkdir(plugins);
  await copyFile(PLUGIN, join(plugins, "perl-dir-repository.pl"));
  await chmod(join(plugins, "perl-dir-repository.pl"), 0o755);
  const ocm = (...args: string[]) => cli("--plugin-dir", plugins, ...args);
  // Binary bytes over several 64 KiB pieces, every byte value included.
  const data = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(200_000)]);
  await writeFile(join(cli.home, "data.bin"), data);
  await writeFile(
    join(cli.home, "constructor.yaml"),
    `components:\n  - name: ${COMPONENT}\n    version: 1.0.0\n    provider: {name: acme.org}\n` +
      "    resources:\n      - {name: data, type: blob, input: {type: file, path: data.bin}}\n",
  );
  const resources = async (ref: string) => {
    const got = await ocm("get", "cv", ref, "-o", "json");
    expect(got.stderr).toBe("");
    expect(got.exitCode).toBe(0);
    return (JSON.parse(got.stdout) as { component: { resources: Resource[] } }).component.resources;
  };
  const download = async (ref: string, out: string) => {
    const got = await ocm("download", "resources", ref, "data", "-O", join(cli.home, out));
    expect(got.stderr).toBe("");
    expect(got.exitCode).toBe(0);
    return readFile(join(cli.home, out));
  };
  return { ocm, data, resources, download, home: cli.home };
}

describe("a Perl repository plugin written from docs/plugin-authors.md", () => {
  it(
    "passes ocm plugin verify, blob round trips and connections included",
    { timeout: 120_000 },
    async () => {
      const ocm = await ocmCli();
      const result = await ocm("plugin", "verify", PLUGIN);
      expect(result.stderr).toBe("");
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toMatch(/transfer componentVersionRepository PerlDirRepository\/v1\s+PASS/);
      expect(result.stdout).toMatch(/connections\s+PASS/);
      expect(result.stdout).toMatch(/parent death\s+PASS/);
    },
  );

  it("carries a file resource CTF → Perl repository → CTF byte for byte", { timeout: 120_000 }, async () => {
    const { ocm, data, resources, download } = await setup();
    const added = await ocm(
      "add",
      "cv",
      "--create",
      "--repository",
      "ctf::./source",
      "--constructor",
      "constructor.yaml",
    );
    expect(added.stderr).toBe("");
    expect(added.exitCode).toBe(0);

    const into = await ocm("transfer", `ctf::./source//${COMPONENT}:1.0.0`, "PerlDirRepository/v1::./store");
    expect(into.stderr).toBe("");
    expect(into.exitCode).toBe(0);
    const stored = (await resources(`perldir::./store//${COMPONENT}:1.0.0`)).find((r) => r.name === "data");
    expect(stored?.access).toMatchObject({ type: "localBlob", localReference: `sha256:${sha256(data)}` });
    expect(stored?.digest?.value).toBe(sha256(data));
    expect((await ocm("get", "cv", `perldir::./store//${COMPONENT}`)).stdout).toMatch(
      /acme\.org\/perl\s+1\.0\.0/,
    );

    const out = await ocm("transfer", `perldir::./store//${COMPONENT}:1.0.0`, "ctf::./target");
    expect(out.stderr).toBe("");
    expect(out.exitCode).toBe(0);
    expect((await download(`ctf::./target//${COMPONENT}:1.0.0`, "from-target.bin")).equals(data)).toBe(true);
    expect((await download(`perldir::./store//${COMPONENT}:1.0.0`, "from-store.bin")).equals(data)).toBe(
      true,
    );
  });

  it(
    "takes ocm add cv --create directly, a compressed input's upload chunked",
    { timeout: 120_000 },
    async () => {
      const { ocm, data, resources, download, home } = await setup();
      // A compressed input has no size before it is read: its upload is transfer-encoding: chunked.
      await writeFile(
        join(home, "constructor.yaml"),
        `components:\n  - name: ${COMPONENT}\n    version: 1.0.0\n    provider: {name: acme.org}\n` +
          "    resources:\n      - {name: data, type: blob, input: {type: file, path: data.bin, compress: true}}\n",
      );
      const added = await ocm(
        "add",
        "cv",
        "--create",
        "--repository",
        "perldir::./direct",
        "--constructor",
        "constructor.yaml",
      );
      expect(added.stderr).toBe("");
      expect(added.exitCode).toBe(0);
      const ref = `perldir::./direct//${COMPONENT}:1.0.0`;
      const packed = await download(ref, "direct.gz");
      expect(gunzipSync(packed).equals(data)).toBe(true);
      expect((await resources(ref))[0]?.digest?.value).toBe(sha256(packed));
      const again = await ocm(
        "add",
        "cv",
        "--repository",
        "perldir::./direct",
        "--constructor",
        "constructor.yaml",
      );
      expect(again.exitCode).toBe(1);
      expect(again.stderr).toContain("OCM_REPOSITORY_VERSION_EXISTS");
    },
  );
});
