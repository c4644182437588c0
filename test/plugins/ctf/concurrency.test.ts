// One writer at a time: concurrent writers queue on the lock, a live holder makes a writer fail naming its
// pid, a dead holder's lock is taken over, and a tar archive is replaced only by rename.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleExecutable } from "../../helpers/executables.js";
import { useTempDir } from "../../helpers/temp-dir.js";
import { bytes, collect, descriptor, localResource, repo, sha256, versions } from "./helpers.js";
import { pausedBody } from "../../helpers/paused-body.js";

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await once(child, "exit");
  return child.pid ?? 0;
}

describe.each([
  ["directory", "ctf"],
  ["tar", "ctf.tar"],
  ["tgz", "ctf.tgz"],
] as const)("writers of a %s CTF", (format, name) => {
  it("adds the versions of concurrent writers without losing one", async () => {
    const path = join(await useTempDir(), name);
    const spec = repo(path, { accessMode: "create", fileFormat: format });
    const add = async (version: string) => {
      const blob = await versions.addLocalBlob(
        { repository: spec, component: "acme.org/a", version, mediaType: "text/plain" },
        bytes(version),
      );
      await versions.addComponentVersion({
        repository: spec,
        descriptor: descriptor("acme.org/a", version, [localResource("data", blob.localReference)]),
      });
    };
    const results = await Promise.allSettled(["1.0.0", "1.1.0", "1.2.0", "2.0.0"].map(add));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
    expect(await versions.listComponentVersions({ repository: repo(path), component: "acme.org/a" })).toEqual(
      {
        versions: ["1.0.0", "1.1.0", "1.2.0", "2.0.0"],
      },
    );
    for (const version of ["1.0.0", "2.0.0"]) {
      const blob = await versions.getLocalBlob({
        repository: repo(path),
        component: "acme.org/a",
        version,
        localReference: `sha256:${sha256(version)}`,
      });
      expect((await collect(blob.content)).toString()).toBe(version);
    }
  });

  it("adds the versions of two writer processes without losing one", async () => {
    const path = join(await useTempDir(), name);
    const writer = await bundleExecutable("test/plugins/ctf/fixtures/add-versions.ts", "ctf-add-versions");
    const run = async (prefix: string) => {
      const child = spawn(process.execPath, [writer, path, format, prefix, "4"], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(child, "exit")) as [number | null];
      return { code, stderr };
    };
    const results = await Promise.all([run("1.0"), run("2.0")]);
    expect(results).toEqual([
      { code: 0, stderr: "" },
      { code: 0, stderr: "" },
    ]);
    const expected = ["1.0.0", "1.0.1", "1.0.2", "1.0.3", "2.0.0", "2.0.1", "2.0.2", "2.0.3"];
    expect(await versions.listComponentVersions({ repository: repo(path), component: "acme.org/a" })).toEqual(
      { versions: expected },
    );
    for (const version of expected) {
      const blob = await versions.getLocalBlob({
        repository: repo(path),
        component: "acme.org/a",
        version,
        localReference: `sha256:${sha256(version)}`,
      });
      expect((await collect(blob.content)).toString()).toBe(version);
    }
  });
});

describe("the write lock", () => {
  it("fails with OCM_REPOSITORY_LOCKED naming the pid of a live holder", { timeout: 20_000 }, async () => {
    const path = join(await useTempDir(), "ctf");
    const spec = repo(path, { accessMode: "create" });
    await versions.addComponentVersion({ repository: spec, descriptor: descriptor("acme.org/a", "1.0.0") });
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
    try {
      await writeFile(join(path, ".ocm-ctf.lock"), String(holder.pid));
      await expect(
        versions.addComponentVersion({ repository: spec, descriptor: descriptor("acme.org/a", "2.0.0") }),
      ).rejects.toMatchObject({
        code: "OCM_REPOSITORY_LOCKED",
        message: expect.stringContaining(String(holder.pid)) as unknown,
      });
      // Readers take no lock.
      expect(
        await versions.listComponentVersions({ repository: repo(path), component: "acme.org/a" }),
      ).toEqual({ versions: ["1.0.0"] });
    } finally {
      holder.kill();
    }
  });

  it("takes over a lock whose holder is dead", async () => {
    const path = join(await useTempDir(), "ctf.tar");
    const spec = repo(path, { accessMode: "create", fileFormat: "tar" });
    await versions.addComponentVersion({ repository: spec, descriptor: descriptor("acme.org/a", "1.0.0") });
    const lock = join(path, "..", ".ctf.tar.ocm-ctf.lock");
    await writeFile(lock, String(await deadPid()));
    await versions.addComponentVersion({ repository: spec, descriptor: descriptor("acme.org/a", "2.0.0") });
    expect(await versions.listComponentVersions({ repository: repo(path), component: "acme.org/a" })).toEqual(
      { versions: ["1.0.0", "2.0.0"] },
    );
    expect(await readdir(join(path, ".."))).toEqual(["ctf.tar"]);
  });
});

describe("tar rewrites", () => {
  it("keep the original archive readable and unchanged until the new one is renamed over it", async () => {
    const dir = await useTempDir();
    const path = join(dir, "ctf.tgz");
    const spec = repo(path, { accessMode: "create", fileFormat: "tgz" });
    await versions.addComponentVersion({ repository: spec, descriptor: descriptor("acme.org/a", "1.0.0") });
    const original = await readFile(path);

    const { content, streaming, release } = pausedBody("half ", "and the rest");
    const upload = versions.addLocalBlob(
      { repository: spec, component: "acme.org/a", version: "2.0.0", mediaType: "text/plain" },
      content,
    );
    await streaming;
    // Mid-write: the archive on disk is the old one, whole, and readable.
    expect((await readFile(path)).equals(original)).toBe(true);
    expect(await versions.listComponentVersions({ repository: repo(path), component: "acme.org/a" })).toEqual(
      { versions: ["1.0.0"] },
    );
    release();
    const stored = await upload;
    expect(stored.digest).toBe(`sha256:${sha256("half and the rest")}`);
    expect((await readFile(path)).equals(original)).toBe(false);
    expect(await readdir(dir)).toEqual(["ctf.tgz"]);
    await versions.addComponentVersion({
      repository: spec,
      descriptor: descriptor("acme.org/a", "2.0.0", [localResource("data", stored.localReference)]),
    });
    const blob = await versions.getLocalBlob({
      repository: repo(path),
      component: "acme.org/a",
      version: "2.0.0",
      localReference: stored.localReference,
    });
    expect((await collect(blob.content)).toString()).toBe("half and the rest");
  });
});
