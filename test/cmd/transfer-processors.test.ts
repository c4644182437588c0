// `ocm transfer --processor` (issue 13, items 2 and 3): a chain of two built-in processors and a Python one
// over a CTF → CTF transfer, checked byte for byte in the target; a transfer killed with SIGKILL and run
// again; a signed source refused naming the processor; --dry-run showing the chain.
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { cliEnv, ocmCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const PYTHON_PROCESSOR = join(REPO_ROOT, "test/fixtures/plugins/processor-py/uppercase_processor.py");
const KEYS = join(REPO_ROOT, "test/fixtures/signing");

const README = "Hello, processors!\n";

/** A component version with a text resource and one image per platform, as a multi-platform release has. */
function constructor(versions: string[]): string {
  const one = (version: string) => `  - name: acme.org/multi
    version: ${version}
    provider:
      name: acme.org
    labels:
      - name: internal
        value: team-only
      - name: keep
        value: kept
    resources:
      - name: readme
        type: plainText
        labels:
          - name: internal
            value: x
        input:
          type: utf8
          text: ${JSON.stringify(README)}
          mediaType: text/plain
      - name: image
        type: ociImage
        version: ${version}
        extraIdentity:
          os: linux
          architecture: amd64
        input:
          type: utf8
          text: amd64 image ${version}
          mediaType: application/octet-stream
      - name: image
        type: ociImage
        version: ${version}
        extraIdentity:
          os: linux
          architecture: arm64
        input:
          type: utf8
          text: arm64 image ${version}
          mediaType: application/octet-stream
`;
  return `components:\n${versions.map(one).join("")}`;
}

const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

async function setup(versions = ["1.0.0"]) {
  const cli = await ocmCli();
  const dir = await useTempDir();
  const plugins = join(dir, "plugins");
  await mkdir(plugins);
  await copyFile(PYTHON_PROCESSOR, join(plugins, "uppercase_processor.py"));
  await writeFile(join(dir, "constructor.yaml"), constructor(versions));
  const source = join(dir, "source");
  const added = await cli(
    "add",
    "cv",
    "--create",
    "--repository",
    source,
    "--constructor",
    join(dir, "constructor.yaml"),
  );
  expect(added.exitCode, added.stderr).toBe(0);
  const run = (...args: string[]) => cli("--plugin-dir", plugins, ...args);
  return { cli, run, dir, plugins, source, target: join(dir, "target"), log: join(dir, "processed.log") };
}

interface Resource {
  name: string;
  extraIdentity?: Record<string, string>;
  labels?: { name: string; value: unknown }[];
  digest?: { value: string };
  access: { type: string; localReference?: string };
}

interface Descriptor {
  component: { labels?: { name: string; value: unknown }[]; resources: Resource[] };
  signatures?: unknown[];
}

async function descriptorOf(
  run: (...args: string[]) => Promise<{ stdout: string; exitCode?: number }>,
  ref: string,
) {
  const shown = await run("get", "cv", ref, "-o", "json");
  expect(shown.exitCode, shown.stdout).toBe(0);
  const parsed = JSON.parse(shown.stdout) as Descriptor | Descriptor[];
  return Array.isArray(parsed) ? (parsed[0] as Descriptor) : parsed;
}

async function download(
  run: (...args: string[]) => Promise<{ exitCode?: number; stderr: string }>,
  ref: string,
  resource: string,
  out: string,
) {
  const got = await run("download", "resource", ref, resource, "-O", out);
  expect(got.exitCode, got.stderr).toBe(0);
  return readFile(out);
}

const chain = (log: string, extra: Record<string, unknown> = {}) => [
  "--processor",
  'filter={"extraIdentity":{"architecture":"amd64"}}',
  "--processor",
  'labels={"remove":["internal"]}',
  "--processor",
  `uppercase=${JSON.stringify({ log, ...extra })}`,
];

describe("ocm transfer --processor", () => {
  it("runs a filter, a label processor and a Python processor in order, changing exactly what they should", async () => {
    const { run, source, target, log, dir } = await setup();
    const done = await run("transfer", source, target, ...chain(log));
    expect(done.exitCode, done.stderr).toBe(0);
    expect(done.stdout).toContain("copied acme.org/multi:1.0.0 (2 blobs copied");

    const ref = `${target}//acme.org/multi:1.0.0`;
    const cd = await descriptorOf(run, ref);
    // The arm64 image is gone; the amd64 image and the readme stay, in order.
    expect(cd.component.resources.map((r) => [r.name, r.extraIdentity?.["architecture"]])).toEqual([
      ["readme", undefined],
      ["image", "amd64"],
    ]);
    // internal is removed everywhere, keep stays, transferred-from names the source without anything else.
    expect(cd.component.labels).toEqual([
      { name: "keep", value: "kept" },
      { name: "transferred-from", value: { type: "CommonTransportFormat/v1", filePath: source } },
    ]);
    const [readme, image] = cd.component.resources as [Resource, Resource];
    expect(readme.labels).toEqual([{ name: "uppercased", value: true }]);
    expect(image.labels).toBeUndefined();

    // The readme's bytes were replaced by the Python processor, its digest with them; the image is untouched.
    const upper = README.toUpperCase();
    expect((await download(run, ref, "readme", join(dir, "readme.txt"))).toString()).toBe(upper);
    expect(readme.digest?.value).toBe(sha256(upper));
    const imageBytes = await download(
      run,
      ref,
      "--identity=name=image,architecture=amd64,os=linux",
      join(dir, "image"),
    );
    expect(imageBytes.toString()).toBe("amd64 image 1.0.0");
    expect(image.digest?.value).toBe(sha256("amd64 image 1.0.0"));

    // The source is as it was.
    const original = await descriptorOf(run, `${source}//acme.org/multi:1.0.0`);
    expect(original.component.resources).toHaveLength(3);
    expect(
      (await download(run, `${source}//acme.org/multi:1.0.0`, "readme", join(dir, "src-readme"))).toString(),
    ).toBe(README);

    // init → process → on-complete, once each.
    expect((await readFile(log, "utf8")).trim().split("\n")).toEqual([
      "process acme.org/multi:1.0.0",
      "complete acme.org/multi:1.0.0",
    ]);
  }, 240_000);

  it("shows the chain with --dry-run and writes nothing", async () => {
    const { run, source, target, log } = await setup();
    const planned = await run("transfer", source, target, ...chain(log), "--dry-run");
    expect(planned.exitCode, planned.stderr).toBe(0);
    expect(planned.stdout).toContain(
      `processors: filter (processor 1 of 3) {"extraIdentity":{"architecture":"amd64"}} | labels (processor 2 of 3) {"remove":["internal"]} | uppercase (processor 3 of 3) ${JSON.stringify({ log })}`,
    );
    expect(planned.stdout).toContain("would copy acme.org/multi:1.0.0");
    const listed = await run("get", "cv", `${target}//acme.org/multi`);
    expect(listed.exitCode).not.toBe(0);
  }, 240_000);

  it("refuses a processor that would change a signed digest, naming it, unless --allow-unsigned-changes", async () => {
    const { run, source, target, dir } = await setup();
    const ref = `${source}//acme.org/multi:1.0.0`;
    const signed = await run(
      "sign",
      "cv",
      ref,
      "--signature",
      "acme",
      "--private-key",
      join(KEYS, "signer.rsa.key"),
    );
    expect(signed.exitCode, signed.stderr).toBe(0);

    const refused = await run(
      "transfer",
      source,
      target,
      "--processor",
      'filter={"extraIdentity":{"architecture":"amd64"}}',
    );
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("Code: OCM_PROCESSOR_SIGNED_CHANGE");
    expect(refused.stderr).toContain(
      'filter (processor 1 of 1) would change what the signature "acme" of acme.org/multi:1.0.0 covers',
    );
    expect(refused.stderr).toContain("--allow-unsigned-changes");
    expect((await run("get", "cv", `${target}//acme.org/multi`)).exitCode).not.toBe(0);

    // A label that is not signed changes nothing a signature covers: the copy keeps and verifies its signature.
    const labelled = await run("transfer", source, join(dir, "labelled"), "--processor", "labels");
    expect(labelled.exitCode, labelled.stderr).toBe(0);
    const verified = await run(
      "verify",
      "cv",
      `${join(dir, "labelled")}//acme.org/multi:1.0.0`,
      "--signature",
      "acme",
      "--public-key",
      join(KEYS, "signer.rsa.pub"),
    );
    expect(verified.exitCode, verified.stderr).toBe(0);

    const allowed = await run(
      "transfer",
      source,
      target,
      "--processor",
      'filter={"extraIdentity":{"architecture":"amd64"}}',
      "--allow-unsigned-changes",
    );
    expect(allowed.exitCode, allowed.stderr).toBe(0);
    const cd = await descriptorOf(run, `${target}//acme.org/multi:1.0.0`);
    expect(cd.component.resources).toHaveLength(2);
    expect(cd.signatures ?? []).toEqual([]);
  }, 240_000);

  it("completes a transfer killed with SIGKILL on re-run, without processing finished versions again (#13)", async () => {
    const versions = ["1.0.0", "1.0.1", "1.0.2", "1.0.3"];
    const { cli, run, plugins, source, target, log, dir } = await setup(versions);
    const checkpoints = join(cli.home, ".local/state/ocm/transfers");
    const args = ["--plugin-dir", plugins, "transfer", source, target, ...chain(log, { completeDelay: 1 })];
    const first = execa(cli.path, args, { reject: false, cwd: cli.home, env: cliEnv(cli.home) });
    // Killed once the first version is written and checkpointed, while the processor waits in on-complete.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const files = await readdir(checkpoints).catch(() => [] as string[]);
      const text = files[0] ? await readFile(join(checkpoints, files[0]), "utf8") : "";
      if (text.split("\n").filter(Boolean).length >= 1) break;
      if (Date.now() > deadline) throw new Error(`no checkpoint after 60s: ${(await first).stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    first.kill("SIGKILL");
    const killed = await first;
    expect(killed.signal).toBe("SIGKILL");
    const before = (await readFile(log, "utf8")).trim().split("\n");
    const finished = before.filter((l) => l.startsWith("complete ")).map((l) => l.slice("complete ".length));
    expect(finished.length).toBeGreaterThanOrEqual(1);

    const again = await execa(cli.path, args, { reject: false, cwd: cli.home, env: cliEnv(cli.home) });
    expect(again.exitCode, again.stderr).toBe(0);
    const after = (await readFile(log, "utf8")).trim().split("\n").slice(before.length);
    // Finished versions are not processed again; every other one is, and completes.
    for (const version of finished) expect(after).not.toContain(`process ${version}`);
    for (const version of versions.map((v) => `acme.org/multi:${v}`).filter((v) => !finished.includes(v))) {
      expect(after).toContain(`process ${version}`);
      expect(after).toContain(`complete ${version}`);
    }
    // Every version is in the target, processed, and each of its blobs is there with its bytes.
    for (const version of versions) {
      const ref = `${target}//acme.org/multi:${version}`;
      const cd = await descriptorOf(run, ref);
      expect(cd.component.resources).toHaveLength(2);
      const out = join(dir, `readme-${version}`);
      expect((await download(run, ref, "readme", out)).toString()).toBe(README.toUpperCase());
      const image = await download(
        run,
        ref,
        "--identity=name=image,architecture=amd64,os=linux",
        join(dir, `image-${version}`),
      );
      expect(image.toString()).toBe(`amd64 image ${version}`);
    }
    // The transfer is complete: nothing is left to resume.
    expect(await readdir(checkpoints)).toEqual([]);
  }, 180_000);
});
