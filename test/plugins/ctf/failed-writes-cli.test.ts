// Failed and killed CTF writes through the `ocm` CLI (#10): a failed write leaves the target as it was, a
// full disk is a clear error (exit 1) rather than an internal one, and a writer killed with SIGKILL leaves
// nothing for good: the next writer takes over its lock and removes its temp files and directories.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { cp, mkdir, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { cliEnv, ocmCli } from "../../helpers/cli.js";
import { useTempDir } from "../../helpers/temp-dir.js";
import { FIXTURES, FORM } from "./helpers.js";

const HELLO = "github.com/acme.org/helloworld";
const TEST_BLOB = "sha256.9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

/** A constructor adding acme.org/a:<version> with `file` as its one local blob. */
async function constructor(work: string, name: string, version: string, input: string): Promise<string> {
  const path = join(work, name);
  await writeFile(
    path,
    [
      "components:",
      "  - name: acme.org/a",
      `    version: ${version}`,
      "    provider: { name: acme.org }",
      "    resources:",
      "      - name: payload",
      "        type: plainText",
      `        input: { type: file, path: ${input} }`,
    ].join("\n"),
  );
  return path;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const typeOf = (path: string) => (path.endsWith(".tgz") ? ["--type", "tgz"] : []);
const list = (dir: string) => readdir(dir).catch(() => [] as string[]);

describe.skipIf(FORM === "external")("failed CTF writes through the CLI (#10)", () => {
  it("adds no blob to a directory CTF whose index is malformed (#10)", async () => {
    const ocm = await ocmCli();
    const work = await useTempDir();
    await writeFile(join(work, "payload.txt"), "payload\n");
    const ctf = join(work, "ctf");
    await mkdir(join(ctf, "blobs"), { recursive: true });
    await writeFile(join(ctf, "artifact-index.json"), '{"schemaVersion":2}');
    const result = await ocm(
      "add",
      "cv",
      "--repository",
      ctf,
      "--constructor",
      await constructor(work, "c.yaml", "1.0.0", "payload.txt"),
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("OCM_REPOSITORY_INVALID");
    expect(await readdir(join(ctf, "blobs"))).toEqual([]);
  });

  it.each(["tdir", "t.tgz"])(
    "leaves no new CTF %s behind when a transfer into it fails on a tampered blob (#10)",
    async (target) => {
      const ocm = await ocmCli();
      const work = await useTempDir();
      const source = join(work, "src");
      await cp(join(FIXTURES, "ctf-v0.20-localblob/transport-archive"), source, { recursive: true });
      await writeFile(join(source, "blobs", TEST_BLOB), "tost"); // same size, other digest
      const result = await ocm("transfer", `${source}//${HELLO}:1.0.0`, join(work, target));
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain("OCM_REPOSITORY_DIGEST_MISMATCH");
      expect((await readdir(work)).sort()).toEqual(["src"]);
    },
  );

  it("reports a full disk as OCM_REPOSITORY_NO_SPACE, on the target and on TMPDIR, and leaves nothing (#10)", async () => {
    const ocm = await ocmCli();
    const work = await useTempDir();
    const small = join(work, "small");
    await mkdir(small);
    await execa("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", small]);
    try {
      await writeFile(join(work, "big.bin"), randomBytes(3 << 20)); // incompressible
      const c = await constructor(work, "c.yaml", "1.0.0", "big.bin");
      const add = (repository: string, env: Record<string, string> = {}) =>
        execa(
          ocm.path,
          ["add", "cv", "--create", "--repository", repository, "--constructor", c, ...typeOf(repository)],
          {
            reject: false,
            cwd: work,
            env: { ...cliEnv(ocm.home), ...env },
          },
        );
      for (const target of [join(small, "ctf"), join(small, "ctf.tgz")]) {
        const result = await add(target);
        expect(result.exitCode, target).toBe(1);
        expect(result.stderr).toContain("OCM_REPOSITORY_NO_SPACE");
        expect(result.stderr).toContain(target);
        expect(await readdir(small)).toEqual([]);
      }
      const viaTemp = await add(join(work, "ctf.tgz"), { TMPDIR: small });
      expect(viaTemp.exitCode).toBe(1);
      expect(viaTemp.stderr).toContain("OCM_REPOSITORY_NO_SPACE");
      expect(viaTemp.stderr).toContain(small);
      expect((await readdir(small)).filter((d) => d.startsWith("ocm-ctf-"))).toEqual([]);
    } finally {
      await execa("umount", [small]);
    }
  });

  it.each(["ctf", "ctf.tgz"])(
    "removes what a writer killed mid-write into %s left, when the next writer comes (#10)",
    async (name) => {
      const ocm = await ocmCli();
      const work = await useTempDir();
      const tmp = join(work, "tmp");
      await mkdir(tmp);
      const env = { ...cliEnv(ocm.home), TMPDIR: tmp };
      const ctf = join(work, name);
      await writeFile(join(work, "small.txt"), "small\n");
      await execa(
        ocm.path,
        [
          "add",
          "cv",
          "--create",
          "--repository",
          ctf,
          "--constructor",
          await constructor(work, "a.yaml", "1.0.0", "small.txt"),
          ...typeOf(name),
        ],
        { env, cwd: work },
      );
      const before = name.endsWith(".tgz") ? await readFile(ctf) : undefined;
      await writeFile(join(work, "huge.bin"), "");
      await truncate(join(work, "huge.bin"), 1 << 30); // sparse: costs no disk
      const writer = spawn(
        ocm.path,
        [
          "add",
          "cv",
          "--repository",
          ctf,
          "--constructor",
          await constructor(work, "b.yaml", "2.0.0", "huge.bin"),
        ],
        {
          env: { ...process.env, ...env },
          cwd: work,
          stdio: "ignore",
        },
      );
      const uploading = async () => {
        if (!name.endsWith(".tgz"))
          return (await list(join(ctf, "blobs"))).some((f) => f.startsWith(".upload-"));
        const dirs = (await list(tmp)).filter((d) => d.startsWith("ocm-ctf-"));
        for (const d of dirs)
          if ((await list(join(tmp, d, "blobs"))).some((f) => f.startsWith(".upload-"))) return true;
        return false;
      };
      await until(uploading, "the upload to start");
      writer.kill("SIGKILL");
      await once(writer, "exit");

      const next = await execa(
        ocm.path,
        [
          "add",
          "cv",
          "--repository",
          ctf,
          "--constructor",
          await constructor(work, "c.yaml", "3.0.0", "small.txt"),
        ],
        { env, cwd: work, reject: false },
      );
      expect(next.stderr).toBe("");
      expect((await readdir(tmp)).filter((d) => d.startsWith("ocm-ctf-"))).toEqual([]);
      expect((await readdir(work)).filter((f) => f.startsWith("."))).toEqual([]);
      if (name.endsWith(".tgz")) expect((await readFile(ctf)).equals(before!)).toBe(false);
      else {
        const leftovers = [...(await readdir(ctf)), ...(await readdir(join(ctf, "blobs")))].filter(
          (f) => f.startsWith(".") || f.endsWith(".tmp"),
        );
        expect(leftovers).toEqual([]);
      }
      const versions = await execa(ocm.path, ["get", "cv", `${ctf}//acme.org/a`, "-o", "json"], {
        env,
        cwd: work,
      });
      expect(versions.stdout).toContain('"1.0.0"');
      expect(versions.stdout).toContain('"3.0.0"');
      expect(versions.stdout).not.toContain('"2.0.0"');
      await rm(join(work, "huge.bin"));
    },
  );
});
