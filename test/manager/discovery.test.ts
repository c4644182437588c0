// Discovery as a user observes it through `list()`: broken files are recorded with a reason and never take
// the other plugins down; the cache keeps unchanged plugins from being spawned again.
import { chmod, copyFile, mkdir, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { discoverPlugins } from "../../manager/host/discover/discover-plugins.js";
import { createPluginManager } from "../../manager/index.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const BROKEN = join(REPO_ROOT, "test/fixtures/plugins/broken");

async function pluginDir(files: string[]): Promise<string> {
  const dir = join(await useTempDir(), "plugins");
  await mkdir(dir, { recursive: true });
  for (const file of files) {
    await copyFile(join(BROKEN, file), join(dir, file));
    await chmod(join(dir, file), 0o755);
  }
  return dir;
}

describe("plugin discovery", () => {
  it("keeps a broken plugin's stderr with its control characters escaped (#10)", async () => {
    const dir = await pluginDir(["escapes-in-capabilities.sh"]);
    const manager = createPluginManager({
      pluginDirs: [dir],
      cacheFile: false,
      env: {},
      home: await useTempDir(),
      handleSignals: false,
      logLevel: "silent",
    });
    const [entry] = await manager.list({ refresh: true });
    expect(entry).toMatchObject({ state: "broken", error: { code: "OCM_DISCOVERY_EXIT" } });
    expect(entry?.stderrTail).toBe("config missing\\x1b]0;pwned\\x07\\x1b[2J");
    await manager.close();
  });

  it("records each kind of broken plugin with its reason while the healthy one stays usable", async () => {
    const dir = await pluginDir([
      "exits-nonzero.sh",
      "invalid-json.sh",
      "lies.sh",
      "hangs.sh",
      "future-protocol.sh",
      "lister.sh",
    ]);
    await writeFile(join(dir, "not-executable.sh"), "#!/bin/sh\necho '{}'\n", { mode: 0o644 });
    const manager = createPluginManager({
      pluginDirs: [dir],
      cacheFile: false,
      env: {},
      home: await useTempDir(),
      handleSignals: false,
      logLevel: "silent",
      discoveryTimeoutMs: 1_000,
    });
    const byId = Object.fromEntries((await manager.list()).map((p) => [p.id, p]));
    expect(byId["lister"]).toMatchObject({ state: "ok", source: "external", document: { version: "0.1.0" } });
    expect(byId["exits-nonzero"]).toMatchObject({ state: "broken", error: { code: "OCM_DISCOVERY_EXIT" } });
    expect(byId["exits-nonzero"]?.stderrTail).toContain("cannot load /etc/exits-nonzero.conf");
    expect(byId["invalid-json"]).toMatchObject({
      state: "broken",
      error: { code: "OCM_DISCOVERY_INVALID_JSON" },
    });
    expect(byId["invalid-json"]?.error?.message).toContain("hello from a plugin");
    expect(byId["lies"]).toMatchObject({
      state: "broken",
      error: { code: "OCM_DISCOVERY_INVALID_CAPABILITIES" },
    });
    expect(byId["lies"]?.error?.message).toContain("type.Teleport/v1");
    expect(byId["hangs"]).toMatchObject({ state: "broken", error: { code: "OCM_DISCOVERY_TIMEOUT" } });
    expect(byId["future-protocol"]).toMatchObject({
      state: "broken",
      error: { code: "OCM_DISCOVERY_PROTOCOL_MISMATCH" },
    });
    expect(byId["future-protocol"]?.error?.message).toMatch(/2\.0\.0.*1\.0\.0/);
    expect(byId["not-executable"]).toMatchObject({
      state: "broken",
      error: { code: "OCM_DISCOVERY_NOT_EXECUTABLE" },
    });
    await expect(manager.getPlugin("Listed/v1", "componentLister")).resolves.toBeDefined();
    await expect(manager.getPlugin("Future/v1", "componentLister")).rejects.toMatchObject({
      code: "OCM_PLUGIN_NOT_FOUND",
    });
    await manager.close();
  });

  it("answers an unchanged plugin from the cache without spawning it, and re-asks a changed one", async () => {
    const dir = await pluginDir(["lister.sh", "exits-nonzero.sh"]);
    const cacheFile = join(await useTempDir(), "cache", "discovery.json");
    const cold = await discoverPlugins({ dirs: [dir], cacheFile });
    expect(cold.spawned).toBe(2);
    const warm = await discoverPlugins({ dirs: [dir], cacheFile });
    expect(warm.spawned).toBe(0);
    expect(warm.plugins.map((p) => [p.id, p.state, p.fromCache])).toEqual([
      ["exits-nonzero", "broken", true],
      ["lister", "ok", true],
    ]);
    const later = new Date(Date.now() + 5_000);
    await writeFile(
      join(dir, "lister.sh"),
      '#!/bin/sh\necho \'{"type":{"Changed/v1":["componentLister"]}}\'\n',
    );
    await utimes(join(dir, "lister.sh"), later, later);
    const changed = await discoverPlugins({ dirs: [dir], cacheFile });
    expect(changed.spawned).toBe(1);
    expect(changed.plugins.find((p) => p.id === "lister")?.document?.type).toEqual({
      "Changed/v1": ["componentLister"],
    });
  });

  it("remembers a capabilities timeout for the unchanged file until the back-off ends, a refresh or a change (#10)", async () => {
    const dir = await pluginDir(["hangs-counted.sh", "lister.sh"]);
    const cacheFile = join(await useTempDir(), "cache", "discovery.json");
    const marker = join(await useTempDir(), "runs");
    process.env["OCM_TEST_RUN_MARKER"] = marker;
    onTestFinished(() => void delete process.env["OCM_TEST_RUN_MARKER"]);
    const runs = async () => (await readFile(marker, "utf8").catch(() => "")).split("\n").length - 1;
    const discover = (extra: Partial<Parameters<typeof discoverPlugins>[0]> = {}) =>
      discoverPlugins({ dirs: [dir], cacheFile, timeoutMs: 300, ...extra });
    const hangs = (result: Awaited<ReturnType<typeof discover>>) =>
      result.plugins.find((p) => p.id === "hangs-counted");

    const first = await discover();
    expect(await runs()).toBe(1);
    expect(hangs(first)).toMatchObject({
      state: "broken",
      fromCache: false,
      error: { code: "OCM_DISCOVERY_TIMEOUT" },
    });
    const retryAt = hangs(first)?.retryAt as number;
    expect(retryAt - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(hangs(first)?.error?.message).toContain(
      `not asked again until ${new Date(retryAt).toISOString()}`,
    );
    expect(hangs(first)?.error?.hint).toContain("ocm plugin list --refresh");

    const second = await discover();
    expect(second.spawned).toBe(0);
    expect(await runs()).toBe(1);
    expect(hangs(second)).toMatchObject({ state: "broken", fromCache: true, retryAt });

    const refreshed = await discover({ refresh: true });
    expect(refreshed.spawned).toBe(2);
    expect(await runs()).toBe(2);

    const later = new Date(Date.now() + 5_000);
    await utimes(join(dir, "hangs-counted.sh"), later, later);
    const changed = await discover();
    expect(changed.spawned).toBe(1);
    expect(await runs()).toBe(3);

    // A back-off that is over asks again.
    await discover({ refresh: true, timeoutBackoffMs: 1 });
    expect(await runs()).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await discover();
    expect(await runs()).toBe(5);
  });

  it("reads directories in order: flags, OCM_PLUGIN_DIR, and keeps the first file of an id", async () => {
    const first = await pluginDir(["lister.sh"]);
    const second = await pluginDir(["lister.sh", "future-protocol.sh"]);
    const home = await useTempDir();
    const manager = createPluginManager({
      pluginDirs: [first],
      env: { OCM_PLUGIN_DIR: second },
      cacheFile: false,
      home,
      handleSignals: false,
      logLevel: "silent",
    });
    const listers = (await manager.list()).filter((p) => p.id === "lister");
    expect(listers.map((p) => [p.path, p.state])).toEqual([
      [join(first, "lister.sh"), "ok"],
      [join(second, "lister.sh"), "broken"],
    ]);
    expect(listers[1]?.error?.code).toBe("OCM_PLUGIN_CONFLICT");
    expect((await manager.list()).some((p) => p.id === "future-protocol")).toBe(true);
    await manager.close();
  });

  it("reports two external plugins claiming the same type with both paths and the winner", async () => {
    const dir = await pluginDir([]);
    for (const name of ["a-claims.sh", "b-claims.sh"]) {
      await writeFile(join(dir, name), `#!/bin/sh\necho '{"type":{"Same/v1":["componentLister"]}}'\n`, {
        mode: 0o755,
      });
    }
    const manager = createPluginManager({
      pluginDirs: [dir],
      cacheFile: false,
      env: {},
      home: await useTempDir(),
      handleSignals: false,
      logLevel: "silent",
    });
    expect(await manager.conflicts()).toEqual([
      {
        type: "Same/v1",
        capability: "componentLister",
        plugins: [
          { id: "a-claims", path: join(dir, "a-claims.sh") },
          { id: "b-claims", path: join(dir, "b-claims.sh") },
        ],
        winner: "a-claims",
      },
    ]);
    await manager.close();
  });
});
