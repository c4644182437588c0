// The life of an external plugin as a user of the manager sees it: lazy single-flight start, idle exit and
// transparent restart, private sockets, cleanup when the host dies, and bounded memory while streaming.
import { execa } from "execa";
import { readFile, readdir, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { createPluginManager, type PluginManagerOptions } from "../../manager/index.js";
import { generatedSha256, hashStream } from "../contract/generated-bytes.js";
import { bundleExecutable } from "../helpers/executables.js";
import { installEcho } from "../helpers/install-echo.js";

async function echoManager(options: PluginManagerOptions = {}) {
  const { home, dir, path } = await installEcho();
  const manager = createPluginManager({
    pluginDirs: [dir],
    cacheFile: false,
    env: {},
    home,
    handleSignals: false,
    logLevel: "silent",
    ...options,
  });
  return { manager, path };
}

const repository = { type: "Echo/v1" };

/** Pids of running (not zombie) processes whose command line mentions `needle`. */
async function processesRunning(needle: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, "utf8")).replaceAll("\0", " ");
      const state = (await readFile(`/proc/${entry}/stat`, "utf8")).split(") ")[1]?.[0];
      if (cmdline.includes(needle) && cmdline.includes(" server ") && state !== "Z") pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe("external plugin lifecycle", () => {
  it("starts nothing until the first call", async () => {
    const { manager, path } = await echoManager();
    await manager.getPlugin("Echo/v1", "componentLister");
    expect((await manager.info("echo")).runtime?.state ?? "stopped").toBe("stopped");
    expect(await processesRunning(path)).toEqual([]);
    await manager.close();
  });

  it("starts exactly one process for 100 concurrent first calls", async () => {
    const { manager, path } = await echoManager();
    const lister = await manager.getPlugin("Echo/v1", "componentLister");
    const results = await Promise.all(
      Array.from({ length: 100 }, () => lister.listComponents({ repository })),
    );
    expect(results).toHaveLength(100);
    const info = await manager.info("echo");
    expect(info.runtime).toMatchObject({ state: "running", starts: 1 });
    expect(await processesRunning(path)).toEqual([info.runtime?.pid]);
    await manager.close();
    expect(await processesRunning(path)).toEqual([]);
  });

  it("restarts a plugin that exited on idle, transparently for the caller", async () => {
    const { manager } = await echoManager({ idleTimeoutMs: 300 });
    const repo = await manager.getPlugin("Echo/v1", "componentLister");
    await repo.listComponents({ repository });
    const first = (await manager.info("echo")).runtime?.pid as number;
    expect(await waitFor(async () => (await manager.info("echo")).runtime?.state === "stopped", 5_000)).toBe(
      true,
    );
    await expect(repo.listComponents({ repository })).resolves.toEqual({ components: [] });
    const after = (await manager.info("echo")).runtime;
    expect(after).toMatchObject({ state: "running", starts: 2 });
    expect(after?.pid).not.toBe(first);
    await manager.close();
  });

  it("keeps a plugin alive while a long call is in flight past its idle timeout", async () => {
    const { manager } = await echoManager({ idleTimeoutMs: 200 });
    const resources = await manager.getPlugin("Generated/v1", "resourceRepository");
    const size = 32 * 1024 * 1024;
    const blob = await resources.getResource({
      resource: { name: "slow", type: "blob", access: { type: "Generated/v1", size, seed: 1 } },
    });
    let read = 0;
    for await (const chunk of blob.content) {
      read += chunk.length;
      if (read < 4 * 1024 * 1024) await new Promise((resolve) => setTimeout(resolve, 60));
    }
    expect(read).toBe(size);
    expect((await manager.info("echo")).runtime?.starts).toBe(1);
    await manager.close();
  });

  it("puts unix sockets in a directory only the owner can enter, and removes it on close", async () => {
    const { manager } = await echoManager({ transport: "unix" });
    await (await manager.getPlugin("Echo/v1", "componentLister")).listComponents({ repository });
    const location = (await manager.info("echo")).runtime?.location as string;
    expect((await stat(dirname(location))).mode & 0o777).toBe(0o700);
    expect((await stat(location)).isSocket()).toBe(true);
    expect((await stat(location)).mode & 0o777).toBe(0o600);
    await manager.close();
    await expect(stat(dirname(location))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("serves over loopback TCP when asked", async () => {
    const { manager } = await echoManager({ transport: "tcp" });
    await (await manager.getPlugin("Echo/v1", "componentLister")).listComponents({ repository });
    expect((await manager.info("echo")).runtime?.location).toMatch(/^127\.0\.0\.1:\d+$/);
    await manager.close();
  });

  it.each(["unix", "tcp"])(
    "leaves no plugin process 2 s after its host is killed with SIGKILL (%s)",
    async (transport) => {
      const { dir, path } = await installEcho();
      const host = execa(
        "node",
        [await bundleExecutable("test/fixtures/hosts/start-echo.ts"), dir, transport],
        {
          reject: false,
          buffer: false,
        },
      );
      const line = await new Promise<string>((resolve, reject) => {
        host.stdout?.once("data", (data: Buffer) => resolve(data.toString()));
        host.once("exit", () => reject(new Error("host exited before starting the plugin")));
      });
      const { pid } = JSON.parse(line) as { pid: number };
      expect(await processesRunning(path)).toEqual([pid]);
      host.kill("SIGKILL");
      await host;
      expect(await waitFor(async () => (await processesRunning(path)).length === 0, 2_000)).toBe(true);
    },
  );

  it("streams 1 GiB out of and into a plugin with bounded host memory", async () => {
    const { manager } = await echoManager();
    const resources = await manager.getPlugin("Generated/v1", "resourceRepository");
    const size = 1024 * 1024 * 1024;
    const resource = { name: "big", type: "blob", access: { type: "Generated/v1", size, seed: 3 } };
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      const blob = await resources.getResource({ resource });
      expect(await hashStream(blob.content)).toEqual({ sha256: generatedSha256(size, 3), size });
      const again = await resources.getResource({ resource });
      const { resource: stored } = await resources.addResource({ resource }, again.content);
      expect(stored.digest).toMatchObject({ value: generatedSha256(size, 3) });
    } finally {
      clearInterval(sampler);
    }
    expect(peak - baseline).toBeLessThan(100 * 1024 * 1024);
    await manager.close();
  });
});
