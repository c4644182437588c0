// `ocm transfer` CTF → registry killed with SIGKILL in the middle (issue 4): the registry must hold no
// component manifest that references a missing blob, and the same command run again must complete the
// transfer, skipping the blobs that landed before the kill.
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, ocmCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { startRegistry, type RunningRegistry } from "../helpers/registry.js";
import { useTempDir } from "../helpers/temp-dir.js";

const MiB = 1024 * 1024;
const BIG = "acme.org/big";
const HELLO = "acme.org/hello";
const ACCEPT = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
].join(", ");

let registry: RunningRegistry;
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.stop();
});

const env = cliEnv;

const cli = ocmCli;

/** Writes `size` random bytes to `path` and returns their sha256 digest. */
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
  return `sha256:${hash.digest("hex")}`;
}

/** The size of a blob in a registry repository, or undefined when the registry does not have it. */
async function blobSize(repository: string, digest: string): Promise<number | undefined> {
  const answer = await fetch(`${registry.url}/v2/${repository}/blobs/${digest}`, { method: "HEAD" });
  return answer.status === 200 ? Number(answer.headers.get("content-length")) : undefined;
}

interface Manifest {
  config?: { digest: string; size: number };
  layers?: { digest: string; size: number }[];
  manifests?: { digest: string }[];
}

/**
 * Walks every tag of every `component-descriptors/…` repository the registry lists and checks that each
 * manifest (and each manifest an index names) has all its blobs, with their sizes. Returns the tags found.
 */
async function expectNoDanglingManifests(): Promise<string[]> {
  const catalog = (await (await fetch(`${registry.url}/v2/_catalog`)).json()) as { repositories?: string[] };
  const found: string[] = [];
  const check = async (repository: string, reference: string) => {
    const answer = await fetch(`${registry.url}/v2/${repository}/manifests/${reference}`, {
      headers: { accept: ACCEPT },
    });
    expect(answer.status).toBe(200);
    const manifest = (await answer.json()) as Manifest;
    for (const child of manifest.manifests ?? []) await check(repository, child.digest);
    for (const blob of [...(manifest.config ? [manifest.config] : []), ...(manifest.layers ?? [])]) {
      expect(await blobSize(repository, blob.digest), `${repository} ${blob.digest}`).toBe(blob.size);
    }
  };
  for (const repository of catalog.repositories ?? []) {
    if (!repository.startsWith("component-descriptors/")) continue;
    const tags = await fetch(`${registry.url}/v2/${repository}/tags/list`);
    const list = tags.status === 200 ? ((await tags.json()) as { tags?: string[] | null }).tags : [];
    for (const tag of list ?? []) {
      await check(repository, tag);
      found.push(`${repository}:${tag}`);
    }
  }
  return found;
}

describe("a transfer into a registry killed in the middle", () => {
  it(
    "leaves no component manifest referencing a missing blob, and a second run completes it, skipping what landed",
    { timeout: 180_000 },
    async () => {
      const ocm = await cli();
      const dir = await useTempDir();
      const names = ["one", "two", "three", "four"];
      const digests = await Promise.all(names.map((n) => randomFile(join(dir, `${n}.bin`), 32 * MiB)));
      const constructor = join(dir, "constructor.yaml");
      await writeFile(
        constructor,
        `components:\n  - name: ${BIG}\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n` +
          names
            .map(
              (n) =>
                `      - {name: ${n}, type: blob, input: {type: file, path: ${n}.bin, mediaType: application/octet-stream}}\n`,
            )
            .join(""),
      );
      const source = join(dir, "source");
      for (const file of [constructor, join(REPO_ROOT, "examples/component-constructor.yaml")]) {
        const added = await ocm("add", "cv", "--create", "--repository", source, "--constructor", file);
        expect(added.stderr).toBe("");
      }
      const target = registry.host;
      // A small version first, so the registry holds a complete component manifest when the kill comes.
      expect((await ocm("transfer", `${source}//${HELLO}`, target)).exitCode).toBe(0);

      const child = execa(ocm.path, ["transfer", `${source}//${BIG}:1.0.0`, target, "--concurrency", "1"], {
        reject: false,
        cwd: ocm.home,
        env: env(ocm.home),
      });
      const repository = `component-descriptors/${BIG}`;
      const landed = async () => {
        const sizes = await Promise.all(digests.map((d) => blobSize(repository, d)));
        return sizes.filter((s) => s !== undefined).length;
      };
      while ((await landed()) === 0 && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      expect(child.exitCode).toBe(null);
      child.kill("SIGKILL");
      expect((await child).signal).toBe("SIGKILL");

      expect(await expectNoDanglingManifests()).toEqual([`component-descriptors/${HELLO}:1.0.0`]);
      const before = await landed();
      expect(before).toBeGreaterThan(0);
      expect(before).toBeLessThan(4);

      const resumed = await ocm("transfer", `${source}//${BIG}:1.0.0`, target, "-o", "json");
      expect(resumed.stderr).toBe("");
      expect(resumed.exitCode).toBe(0);
      // Blobs that landed before the kill are found by digest (HEAD) and not sent again.
      expect(JSON.parse(resumed.stdout)).toMatchObject({
        versions: [{ action: "copied" }],
        blobsCopied: 4 - before,
        blobsSkipped: before,
        bytes: (4 - before) * 32 * MiB,
      });
      expect((await expectNoDanglingManifests()).sort()).toEqual([
        `component-descriptors/${BIG}:1.0.0`,
        `component-descriptors/${HELLO}:1.0.0`,
      ]);
      const hash = async (ref: string) => (await ocm("hash", "cv", ref, "-o", "json")).stdout;
      expect(await hash(`${target}//${BIG}:1.0.0`)).toBe(await hash(`${source}//${BIG}:1.0.0`));
      const out = join(dir, "four.out");
      const download = await ocm("download", "resource", `${target}//${BIG}:1.0.0`, "four", "-O", out);
      expect(download.stderr).toBe("");
      expect(download.stdout).toContain(digests[3] ?? "");
    },
  );
});
