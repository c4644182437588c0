// `ocm transfer` as a user runs it: a bundled CLI process between real CTFs on disk, including a transfer
// killed with SIGKILL in the middle and run again.
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { readFile, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { cliEnv, ocmCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const EXAMPLE = join(REPO_ROOT, "examples/component-constructor.yaml");
const HELLO = "acme.org/hello";

const env = cliEnv;

const cli = ocmCli;

type Ocm = Awaited<ReturnType<typeof cli>>;

async function addExample(ocm: Ocm, ctf: string, constructor = EXAMPLE) {
  const added = await ocm("add", "cv", "--create", "--repository", ctf, "--constructor", constructor);
  expect(added.stderr).toBe("");
  expect(added.exitCode).toBe(0);
}

async function descriptorOf(ocm: Ocm, ref: string) {
  const result = await ocm("get", "cv", ref, "-o", "json");
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as { component: { resources: { access: Record<string, unknown> }[] } };
}

async function hashOf(ocm: Ocm, ref: string) {
  const result = await ocm("hash", "cv", ref, "-o", "json");
  expect(result.exitCode).toBe(0);
  return result.stdout;
}

interface ArtifactIndex {
  artifacts: { repository: string; tag: string; digest: string }[];
}

/** Every manifest the index lists exists, and so does every blob those manifests reference. */
async function expectNoDanglingReferences(ctf: string): Promise<ArtifactIndex> {
  const index = JSON.parse(await readFile(join(ctf, "artifact-index.json"), "utf8")) as ArtifactIndex;
  const blob = (digest: string) => join(ctf, "blobs", digest.replace(":", "."));
  for (const artifact of index.artifacts) {
    const manifest = JSON.parse(await readFile(blob(artifact.digest), "utf8")) as {
      config: { digest: string };
      layers: { digest: string; size: number }[];
    };
    expect((await stat(blob(manifest.config.digest))).isFile()).toBe(true);
    for (const layer of manifest.layers) expect((await stat(blob(layer.digest))).size).toBe(layer.size);
  }
  return index;
}

describe.each([
  ["directory", "target"],
  ["tar", "target.tar"],
  ["tgz", "target.tgz"],
])("ocm transfer into a new %s CTF", (_format, name) => {
  it("reproduces the example's descriptor and blobs and skips everything the second time", async () => {
    const ocm = await cli();
    const dir = await useTempDir();
    const source = join(dir, "source");
    const target = join(dir, name);
    await addExample(ocm, source);

    const first = await ocm("transfer", "cv", `${source}//${HELLO}`, target);
    expect(first.stderr).toBe("");
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toBe(
      `copied ${HELLO}:1.0.0 (3 blobs copied, 0 skipped, 234 B)\n` +
        "1 component version (1 copied, 0 overwritten, 0 skipped); blobs: 3 copied, 0 skipped; 234 B",
    );
    const copied = await descriptorOf(ocm, `${target}//${HELLO}:1.0.0`);
    expect(copied).toEqual(await descriptorOf(ocm, `${source}//${HELLO}:1.0.0`));
    expect(await hashOf(ocm, `${target}//${HELLO}:1.0.0`)).toBe(
      await hashOf(ocm, `${source}//${HELLO}:1.0.0`),
    );
    for (const resource of ["readme", "site", "greeting"]) {
      const out = (where: string) => join(dir, `${resource}.${where}`);
      await ocm("download", "resource", `${source}//${HELLO}:1.0.0`, resource, "-O", out("source"));
      const download = await ocm(
        "download",
        "resource",
        `${target}//${HELLO}:1.0.0`,
        resource,
        "-O",
        out("target"),
      );
      expect(download.exitCode).toBe(0);
      expect((await readFile(out("target"))).equals(await readFile(out("source")))).toBe(true);
    }
    // The external image stays a reference without --copy-resources.
    expect(copied.component.resources[3]?.access).toEqual({
      type: "ociArtifact",
      imageReference: "ghcr.io/acme/nginx:1.25.0",
    });

    const second = await ocm("transfer", `${source}//${HELLO}`, target, "-o", "json");
    expect(second.exitCode).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      dryRun: false,
      versions: [{ component: HELLO, version: "1.0.0", action: "skipped" }],
      blobsCopied: 0,
      blobsSkipped: 3,
      bytes: 0,
    });
  });
});

describe("ocm transfer", () => {
  it("refuses a differing target version without --overwrite and replaces it with it", async () => {
    const ocm = await cli();
    const dir = await useTempDir();
    const source = join(dir, "source");
    const target = join(dir, "target");
    await addExample(ocm, source);
    const changed = join(dir, "changed.yaml");
    await writeFile(
      changed,
      (await readFile(EXAMPLE, "utf8"))
        .replace("Hello, OCM!", "Hello, changed!")
        .replaceAll("path: hello/", `path: ${REPO_ROOT}/examples/hello/`),
    );
    await addExample(ocm, target, changed);
    const before = await hashOf(ocm, `${target}//${HELLO}:1.0.0`);

    const refused = await ocm("transfer", `${source}//${HELLO}:1.0.0`, target);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(
      `Error: ${target} already holds ${HELLO}:1.0.0 with a different descriptor`,
    );
    expect(refused.stderr).toContain("Code: OCM_TRANSFER_TARGET_DIFFERS");
    expect(refused.stderr).toContain("Try: Pass --overwrite");
    expect(await hashOf(ocm, `${target}//${HELLO}:1.0.0`)).toBe(before);

    const replaced = await ocm("transfer", `${source}//${HELLO}:1.0.0`, target, "--overwrite");
    expect(replaced.exitCode).toBe(0);
    expect(replaced.stdout).toMatch(/^overwritten acme\.org\/hello:1\.0\.0 \(/);
    expect(await hashOf(ocm, `${target}//${HELLO}:1.0.0`)).toBe(
      await hashOf(ocm, `${source}//${HELLO}:1.0.0`),
    );
  });

  it("selects versions with --latest and --semver, and with -r brings referenced versions first", async () => {
    const ocm = await cli();
    const dir = await useTempDir();
    const source = join(dir, "source");
    const constructor = join(dir, "constructor.yaml");
    const cv = (name: string, version: string, refs = "") =>
      `  - name: ${name}\n    version: ${version}\n    provider: {name: acme.org}\n    resources:\n` +
      `      - {name: data, type: plainText, input: {type: utf8, text: "${name} ${version}"}}\n${refs}`;
    await writeFile(
      constructor,
      "components:\n" +
        cv("acme.org/lib", "0.1.0") +
        cv("acme.org/app", "1.0.0") +
        cv("acme.org/app", "1.1.0") +
        cv(
          "acme.org/app",
          "2.0.0",
          "    componentReferences:\n      - {name: lib, componentName: acme.org/lib, version: 0.1.0}\n",
        ),
    );
    await addExample(ocm, source, constructor);
    const versions = async (...args: string[]) => {
      const target = join(await useTempDir(), "target");
      const result = await ocm("transfer", `${source}//acme.org/app`, target, "-o", "json", ...args);
      expect(result.stderr).toBe("");
      return (
        JSON.parse(result.stdout) as { versions: { component: string; version: string }[] }
      ).versions.map((v) => `${v.component}:${v.version}`);
    };
    expect(await versions()).toEqual(["acme.org/app:1.0.0", "acme.org/app:1.1.0", "acme.org/app:2.0.0"]);
    expect(await versions("--latest")).toEqual(["acme.org/app:2.0.0"]);
    expect(await versions("--semver", "~1.0")).toEqual(["acme.org/app:1.0.0"]);
    expect(await versions("--semver", "^1", "--latest")).toEqual(["acme.org/app:1.1.0"]);
    expect(await versions("--latest", "-r")).toEqual(["acme.org/lib:0.1.0", "acme.org/app:2.0.0"]);

    const none = await ocm("transfer", `${source}//acme.org/app`, join(dir, "none"), "--semver", ">=3");
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain("Code: OCM_TRANSFER_NO_MATCH");
    expect(none.stderr).toContain("Try: Versions in the source: 1.0.0, 1.1.0, 2.0.0.");
  });

  it("writes nothing with --dry-run and prints nothing with --quiet", async () => {
    const ocm = await cli();
    const dir = await useTempDir();
    const source = join(dir, "source");
    await addExample(ocm, source);
    const dry = await ocm("transfer", `${source}//${HELLO}`, join(dir, "target"), "--dry-run");
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toBe(
      `would copy ${HELLO}:1.0.0 (3 blobs to copy, 0 skipped)\n` +
        "dry run, nothing written: 1 component version (1 to copy, 0 to overwrite, 0 to skip); blobs: 3 to copy, 0 to skip",
    );
    expect(await readdir(dir)).toEqual(["source"]);

    const quiet = await ocm("transfer", `${source}//${HELLO}`, join(dir, "target"), "--quiet");
    expect(quiet.exitCode).toBe(0);
    expect(quiet.stdout + quiet.stderr).toBe("");
    expect(await readdir(dir)).toEqual(["source", "target"]);
  });

  it("rejects a bad command line with exit code 2", async () => {
    const ocm = await cli();
    const one = await ocm("transfer", "./a//acme.org/x");
    expect(one.exitCode).toBe(2);
    expect(one.stderr).toContain("Code: OCM_USAGE_INVALID");
    const concurrency = await ocm("transfer", "./a//acme.org/x", "./b", "--concurrency", "0");
    expect(concurrency.exitCode).toBe(2);
    expect(concurrency.stderr).toContain("--concurrency");
  });

  it("draws an overall progress line on a terminal", async () => {
    const ocm = await cli();
    const dir = await useTempDir();
    const source = join(dir, "source");
    await addExample(ocm, source);
    // `script` runs the CLI on a pseudo terminal, as a user's shell would.
    const command = `${ocm.path} transfer ${source}//${HELLO} ${join(dir, "target")}`;
    const result = await execa("script", ["-qfec", command, "/dev/null"], {
      reject: false,
      env: env(ocm.home),
    });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("\r\x1b[Ktransfer: 1/1 versions, 3/3 blobs, 234 B, ");
    expect(result.stdout).toMatch(/transfer: 1\/1 versions, 3\/3 blobs, 234 B, [\d.]+ [KMG]?i?B\/s/);
    expect(result.stdout).toContain(`copied ${HELLO}:1.0.0`);
  });
});

const MiB = 1024 * 1024;

/** Writes `size` random bytes to `path` and returns their sha256. */
async function randomFile(path: string, size: number): Promise<string> {
  const hash = createHash("sha256");
  const out = createWriteStream(path);
  for (let written = 0; written < size; written += MiB) {
    const chunk = randomBytes(MiB);
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return hash.digest("hex");
}

describe("a transfer killed in the middle", () => {
  it(
    "leaves no index entry pointing at a missing blob, and a second run completes it",
    { timeout: 180_000 },
    async () => {
      const ocm = await cli();
      const dir = await useTempDir();
      const names = ["one", "two", "three", "four"];
      const digests = await Promise.all(names.map((n) => randomFile(join(dir, `${n}.bin`), 32 * MiB)));
      const constructor = join(dir, "constructor.yaml");
      await writeFile(
        constructor,
        "components:\n  - name: acme.org/big\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n" +
          names
            .map(
              (n) =>
                `      - {name: ${n}, type: blob, input: {type: file, path: ${n}.bin, mediaType: application/octet-stream}}\n`,
            )
            .join(""),
      );
      const source = join(dir, "source");
      const target = join(dir, "target");
      await addExample(ocm, source, constructor);
      // A small version first, so the target's index holds a complete entry when the kill comes.
      await addExample(ocm, source);
      const small = await ocm("transfer", `${source}//${HELLO}`, target);
      expect(small.exitCode).toBe(0);

      const child = execa(
        ocm.path,
        ["transfer", `${source}//acme.org/big:1.0.0`, target, "--concurrency", "1"],
        {
          reject: false,
          cwd: ocm.home,
          env: env(ocm.home),
        },
      );
      const landed = (files: string[]) => digests.filter((d) => files.includes(`sha256.${d}`));
      for (;;) {
        const files = await readdir(join(target, "blobs"));
        if (landed(files).length > 0 || child.exitCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      expect(child.exitCode).toBe(null);
      child.kill("SIGKILL");
      const killed = await child;
      expect(killed.signal).toBe("SIGKILL");

      const afterKill = await expectNoDanglingReferences(target);
      expect(afterKill.artifacts.map((a) => a.repository)).toEqual([`component-descriptors/${HELLO}`]);
      const before = landed(await readdir(join(target, "blobs"))).length;
      expect(before).toBeGreaterThan(0);
      expect(before).toBeLessThan(4);

      const resumed = await ocm("transfer", `${source}//acme.org/big:1.0.0`, target, "-o", "json");
      expect(resumed.stderr).toBe("");
      expect(resumed.exitCode).toBe(0);
      // Only what was missing travels again: blobs that landed before the kill are skipped by digest.
      expect(JSON.parse(resumed.stdout)).toMatchObject({
        versions: [{ action: "copied" }],
        blobsCopied: 4 - before,
        blobsSkipped: before,
      });
      await expectNoDanglingReferences(target);
      expect(await hashOf(ocm, `${target}//acme.org/big:1.0.0`)).toBe(
        await hashOf(ocm, `${source}//acme.org/big:1.0.0`),
      );
      for (const [i, name] of names.entries()) {
        const out = join(dir, `${name}.out`);
        const download = await ocm("download", "resource", `${target}//acme.org/big:1.0.0`, name, "-O", out);
        expect(download.stderr).toBe("");
        expect(download.stdout).toContain(`sha256:${digests[i] ?? ""}`);
      }
    },
  );
});
