// Whole repositories and references across repositories (#16): `ocm get cv <repo>` and `ocm transfer
// <repo> <target>` without a component, `--lookup`, `-o tree`, `--stop-on-existing` and `--enforce`, on CTFs
// on disk and on a real registry, through the bundled CLI.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ocmCli } from "../helpers/cli.js";
import { startRegistry, type RunningRegistry } from "../helpers/registry.js";
import { useTempDir } from "../helpers/temp-dir.js";

type Cli = Awaited<ReturnType<typeof ocmCli>>;

const APP = `  - name: acme.org/app
    version: 1.0.0
    provider: acme.org
    componentReferences:
      - {name: lib, componentName: acme.org/lib, version: 2.0.0}
    resources:
      - name: config
        type: plainText
        input: {type: utf8, text: "port: 8080", mediaType: text/plain}
`;
const APP_11 = `  - name: acme.org/app
    version: 1.1.0
    provider: acme.org
`;
const LIB = `  - name: acme.org/lib
    version: 2.0.0
    provider: acme.org
    resources:
      - name: library
        type: blob
        input: {type: binary, data: AAECAw==}
`;

let registry: RunningRegistry;
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.stop();
});

/** A new CTF holding the given constructor components. */
async function ctfWith(ocm: Cli, ...components: string[]): Promise<string> {
  const dir = await useTempDir();
  await writeFile(join(dir, "c.yaml"), `components:\n${components.join("")}`);
  const ctf = join(dir, "ctf");
  const added = await ocm("add", "cv", "--create", "--repository", ctf, "--constructor", join(dir, "c.yaml"));
  expect(added.stderr).toBe("");
  return ctf;
}

const rows = (stdout: string) => stdout.trim().split("\n").slice(1);

describe("whole repositories (#16)", () => {
  it("lists every component and version of a CTF when the reference names no component (#16)", async () => {
    const ocm = await ocmCli();
    const ctf = await ctfWith(ocm, APP, APP_11, LIB);
    const table = await ocm("get", "cv", ctf);
    expect(table.stderr).toBe("");
    expect(rows(table.stdout).map((r) => r.split(/\s+/).slice(0, 2).join(":"))).toEqual([
      "acme.org/app:1.0.0",
      "acme.org/app:1.1.0",
      "acme.org/lib:2.0.0",
    ]);
    const json = await ocm("get", "cv", ctf, "-o", "json");
    expect((JSON.parse(json.stdout) as { items: unknown[] }).items).toHaveLength(3);
  });

  it("transfers every component version of a CTF, skips them when run again, and plans with --dry-run (#16)", async () => {
    const ocm = await ocmCli();
    const ctf = await ctfWith(ocm, APP, APP_11, LIB);
    const target = join(await useTempDir(), "copy.tgz");
    const dry = await ocm("transfer", ctf, target, "--dry-run");
    expect(dry.stdout).toContain("would copy acme.org/lib:2.0.0");
    expect(dry.stdout).toContain("dry run, nothing written: 3 component versions (3 to copy");
    expect((await ocm("get", "cv", target)).exitCode).toBe(1);

    const first = await ocm("transfer", ctf, target);
    expect(first.stderr).toBe("");
    expect(first.stdout).toContain(
      "3 component versions (3 copied, 0 overwritten, 0 skipped); blobs: 2 copied",
    );
    expect(rows((await ocm("get", "cv", target)).stdout)).toHaveLength(3);
    const again = await ocm("transfer", ctf, target);
    expect(again.stdout).toContain("3 component versions (0 copied, 0 overwritten, 3 skipped)");
  });

  it("lists and transfers a whole registry repository, CTF → registry → CTF (#16)", async () => {
    const ocm = await ocmCli();
    const ctf = await ctfWith(ocm, APP, APP_11, LIB);
    const repo = `${registry.host}/whole-${Date.now()}`;
    const up = await ocm("transfer", ctf, repo);
    expect(up.stderr).toBe("");
    const listed = await ocm("get", "cv", repo);
    expect(listed.stderr).toBe("");
    expect(rows(listed.stdout).map((r) => r.split(/\s+/).slice(0, 2).join(":"))).toEqual([
      "acme.org/app:1.0.0",
      "acme.org/app:1.1.0",
      "acme.org/lib:2.0.0",
    ]);
    const back = join(await useTempDir(), "back");
    const down = await ocm("transfer", repo, back, "--latest", "-o", "json");
    expect(down.stderr).toBe("");
    const summary = JSON.parse(down.stdout) as { versions: { component: string; version: string }[] };
    // --latest without a component: the highest version of each component.
    expect(summary.versions.map((v) => `${v.component}:${v.version}`)).toEqual([
      "acme.org/app:1.1.0",
      "acme.org/lib:2.0.0",
    ]);
    const read = await ocm(
      "download",
      "resource",
      `${back}//acme.org/lib:2.0.0`,
      "library",
      "-O",
      join(back, "..", "lib.bin"),
    );
    expect(read.exitCode).toBe(0);
  });

  it("refuses --lookup without -r with exit code 2, naming what to add (#16)", async () => {
    const ocm = await ocmCli();
    const ctf = await ctfWith(ocm, LIB);
    const result = await ocm("transfer", "--lookup", ctf, ctf, join(await useTempDir(), "t"));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Try: Add -r (--recursive)");
  });
});

describe("references across repositories (#16)", () => {
  it("transfers a reference the source lacks from the --lookup repository, saying where it came from (#16)", async () => {
    const ocm = await ocmCli();
    const source = await ctfWith(ocm, APP);
    const libs = await ctfWith(ocm, LIB);
    const target = join(await useTempDir(), "target");

    const missing = await ocm("transfer", "-r", `${source}//acme.org/app:1.0.0`, target);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('acme.org/app:1.0.0 references acme.org/lib:2.0.0 (reference "lib")');
    expect(missing.stderr).toContain("--lookup <repository>");

    const found = await ocm("transfer", "-r", "--lookup", libs, `${source}//acme.org/app:1.0.0`, target);
    expect(found.stderr).toBe("");
    expect(found.stdout.split("\n").slice(0, 2)).toEqual([
      `copied acme.org/lib:2.0.0 from ${libs} (1 blob copied, 0 skipped, 4 B)`,
      "copied acme.org/app:1.0.0 (1 blob copied, 0 skipped, 10 B)",
    ]);
    expect(rows((await ocm("get", "cv", target)).stdout)).toHaveLength(2);
  });

  it("asks --lookup repositories in order, one of them a registry, and shows where each version was found (#16)", async () => {
    const ocm = await ocmCli();
    const source = await ctfWith(ocm, APP);
    const empty = await ctfWith(ocm, APP_11);
    const repo = `${registry.host}/lookup-${Date.now()}`;
    expect((await ocm("transfer", await ctfWith(ocm, LIB), repo)).exitCode).toBe(0);

    const table = await ocm(
      "get",
      "cv",
      "-r",
      `${source}//acme.org/app:1.0.0`,
      "--lookup",
      empty,
      "--lookup",
      repo,
    );
    expect(table.stderr).toBe("");
    expect(table.stdout).toMatch(/COMPONENT\s+VERSION\s+PROVIDER\s+REPOSITORY/);
    expect(table.stdout).toMatch(
      new RegExp(`acme\\.org/lib\\s+2\\.0\\.0\\s+acme\\.org\\s+http://${registry.host}/lookup-`),
    );

    const tree = await ocm("get", "cv", `${source}//acme.org/app:1.0.0`, "--lookup", repo, "-o", "tree");
    expect(tree.stderr).toBe("");
    const lines = tree.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^NESTING\s+COMPONENT\s+VERSION\s+PROVIDER\s+REPOSITORY$/);
    expect(lines[1]).toMatch(new RegExp(`^└─\\s+acme\\.org/app\\s+1\\.0\\.0\\s+acme\\.org\\s+${source}$`));
    expect(lines[2]).toMatch(/^ {3}└─\s+acme\.org\/lib \(lib\)\s+2\.0\.0\s+acme\.org\s+http:\/\//);

    const target = `${registry.host}/target-${Date.now()}`;
    const moved = await ocm(
      "transfer",
      "-r",
      `${source}//acme.org/app:1.0.0`,
      target,
      "--lookup",
      empty,
      "--lookup",
      repo,
    );
    expect(moved.stderr).toBe("");
    expect(rows((await ocm("get", "cv", target)).stdout)).toHaveLength(2);
  });

  it("does not descend below a version the target holds with --stop-on-existing (#16)", async () => {
    const ocm = await ocmCli();
    const source = await ctfWith(ocm, APP, LIB);
    const target = join(await useTempDir(), "target");
    expect((await ocm("transfer", `${source}//acme.org/app:1.0.0`, target)).exitCode).toBe(0);

    const stopped = await ocm("transfer", "-r", "-E", `${source}//acme.org/app:1.0.0`, target);
    expect(stopped.stderr).toBe("");
    expect(stopped.stdout).toContain("1 component version (0 copied, 0 overwritten, 1 skipped)");
    expect(rows((await ocm("get", "cv", target)).stdout)).toHaveLength(1);

    const full = await ocm("transfer", "-r", `${source}//acme.org/app:1.0.0`, target);
    expect(full.stdout).toContain("copied acme.org/lib:2.0.0");
  });

  it("writes a version the target already holds again with --enforce (#16)", async () => {
    const ocm = await ocmCli();
    const source = await ctfWith(ocm, LIB);
    const target = `${registry.host}/enforce-${Date.now()}`;
    expect((await ocm("transfer", source, target)).exitCode).toBe(0);
    const plain = await ocm("transfer", source, target);
    expect(plain.stdout).toContain("skipped acme.org/lib:2.0.0");
    const enforced = await ocm("transfer", "--enforce", source, target);
    expect(enforced.stderr).toBe("");
    expect(enforced.stdout).toContain("overwritten acme.org/lib:2.0.0");
    expect((await ocm("get", "cv", `${target}//acme.org/lib:2.0.0`)).exitCode).toBe(0);
  });
});
