// A component version signed by the Go tool years ago (jsonNormalisation/v1 in its legacy form, PKCS#1 v1.5,
// the published test key) still verifies after it is stored in a CTF: every digest recomputed from the bytes.
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createPluginManager, verifyComponentVersion } from "../../index.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const FIXTURE = join(REPO_ROOT, "test/fixtures/ocm/signed-comparch-rsa-v1norm");

async function* bytesOf(data: Buffer): AsyncGenerator<Uint8Array> {
  yield data;
}

describe("a component version signed by the Go tool", () => {
  it("verifies with the published public key, accepting the legacy v1 normal form", async () => {
    const home = await useTempDir();
    const manager = createPluginManager({
      cacheFile: false,
      env: {},
      home,
      handleSignals: false,
      logLevel: "silent",
    });
    const repository = {
      type: "CommonTransportFormat/v1",
      filePath: join(home, "ctf"),
      accessMode: "create",
    };
    const descriptor = parse(
      await readFile(join(FIXTURE, "component-archive/component-descriptor.yaml"), "utf8"),
    ) as {
      component: { name: string; version: string };
    };
    const { name: component, version } = descriptor.component;
    const repo = await manager.getPlugin("CommonTransportFormat/v1", "componentVersionRepository");
    const blobs = join(FIXTURE, "component-archive/blobs");
    for (const file of await readdir(blobs)) {
      await repo.addLocalBlob(
        { repository, component, version, mediaType: "text/plain", digest: file.replace(".", ":") },
        bytesOf(await readFile(join(blobs, file))),
      );
    }
    await repo.addComponentVersion({ repository, descriptor: descriptor as never });
    const publicKey = await readFile(join(FIXTURE, "rsa.pub"), "utf8");
    const report = await verifyComponentVersion(manager, {
      repository,
      component,
      version,
      signature: "test",
      publicKey,
    });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.kind === "descriptor")?.message).toContain("legacy form");
    await manager.close();
  });
});
