// The manager as a library user sees it: lookup, precedence, registration forms, lazy init, shutdown.
import { chmod, copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  describePlugin,
  type ComponentLister,
  type LazyPluginDefinition,
  type PluginDefinition,
} from "../../core/index.js";
import { createPluginManager, type PluginManagerOptions } from "../../manager/index.js";
import { bundleExecutable } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

async function pluginDirWithEcho(): Promise<{ home: string; dir: string }> {
  const home = await useTempDir();
  const dir = join(home, "plugins");
  await mkdir(dir, { recursive: true });
  await copyFile(
    await bundleExecutable("test/fixtures/plugins/echo/main.ts", "echo-sdk"),
    join(dir, "echo.mjs"),
  );
  await chmod(join(dir, "echo.mjs"), 0o755);
  return { home, dir };
}

function managerWith(home: string, options: PluginManagerOptions) {
  return createPluginManager({
    cacheFile: false,
    env: {},
    home,
    handleSignals: false,
    logLevel: "silent",
    ...options,
  });
}

const lister = (names: string[]): ComponentLister => ({
  async listComponents() {
    return { components: names };
  },
});

function inProcessEcho(names: string[], init?: (config: unknown) => void): PluginDefinition {
  return {
    name: "echo",
    types: { "Echo/v1": { capabilities: { componentLister: lister(names) } } },
    ...(init ? { init } : {}),
  };
}

describe("plugin manager", () => {
  it("names the known types when no plugin offers the requested one", async () => {
    const home = await useTempDir();
    const manager = managerWith(home, { builtins: [inProcessEcho(["a"])] });
    const error = await manager.getPlugin("Nope/v1", "componentLister").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "OCM_PLUGIN_NOT_FOUND" });
    expect((error as { hint: string }).hint).toContain("Echo/v1");
    await manager.close();
  });

  it("prefers the in-process plugin over an external one for the same type, and shows it", async () => {
    const { home, dir } = await pluginDirWithEcho();
    const manager = managerWith(home, {
      builtins: [{ ...inProcessEcho(["in-process"]), name: "echo-builtin" }],
      pluginDirs: [dir],
    });
    const found = await manager.getPlugin("Echo/v1", "componentLister");
    await expect(found.listComponents({ repository: { type: "Echo/v1" } })).resolves.toEqual({
      components: ["in-process"],
    });
    const external = (await manager.list()).find((p) => p.id === "echo");
    expect(external?.shadowed).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: "Echo/v1", capability: "componentLister" })]),
    );
    await manager.close();
  });

  it("uses the external plugin when configured to prefer external ones", async () => {
    const { home, dir } = await pluginDirWithEcho();
    const manager = managerWith(home, {
      builtins: [{ ...inProcessEcho(["in-process"]), name: "echo-builtin" }],
      pluginDirs: [dir],
      prefer: "external",
    });
    const repo = await manager.getPlugin("Echo/v1", "componentVersionRepository");
    await repo.addComponentVersion({
      repository: { type: "Echo/v1" },
      descriptor: { meta: { schemaVersion: "v2" }, component: { name: "acme.org/x", version: "1.0.0" } },
    });
    const found = await manager.getPlugin("Echo/v1", "componentLister");
    await expect(found.listComponents({ repository: { type: "Echo/v1" } })).resolves.toMatchObject({
      components: ["acme.org/x"],
    });
    const entry = await manager.info("echo");
    expect(entry.runtime).toMatchObject({ state: "running" });
    await manager.close();
  });

  it("accepts the ADR's flat registration with one implementation for several capabilities", async () => {
    const home = await useTempDir();
    const manager = managerWith(home, { builtins: [] });
    manager.registerPlugin({
      id: "flat",
      types: ["Flat/v1"],
      capabilities: ["componentLister"],
      impl: lister(["flat"]),
      aliases: { "Flat/v1": ["flat"] },
    });
    const found = await manager.getPlugin("flat", "componentLister");
    await expect(found.listComponents({ repository: { type: "Flat/v1" } })).resolves.toEqual({
      components: ["flat"],
    });
    await manager.close();
  });

  it("keeps an in-process plugin dormant until first use, then calls init once with its config", async () => {
    const home = await useTempDir();
    const seen: unknown[] = [];
    const manager = managerWith(home, {
      builtins: [inProcessEcho(["a"], (config) => void seen.push(config))],
      pluginConfig: { echo: { token: "t" } },
    });
    await manager.list();
    expect(seen).toEqual([]);
    await Promise.all([
      manager.getPlugin("Echo/v1", "componentLister"),
      manager.getPlugin("Echo/v1", "componentLister"),
    ]);
    expect(seen).toEqual([{ token: "t" }]);
    await manager.close();
  });

  it("imports a lazily registered plugin's code on its first use only, once for concurrent calls (#15)", async () => {
    const home = await useTempDir();
    const loads: string[] = [];
    const lazy = (definition: PluginDefinition): LazyPluginDefinition => ({
      id: definition.name,
      document: describePlugin(definition),
      load: async () => {
        loads.push(definition.name);
        await new Promise((resolve) => setTimeout(resolve, 10));
        return definition;
      },
    });
    const other: PluginDefinition = { ...inProcessEcho(["b"]), name: "other", types: {} };
    const manager = managerWith(home, { builtins: [lazy(inProcessEcho(["a"])), lazy(other)] });
    expect((await manager.list()).map((entry) => entry.id)).toEqual(["echo", "other"]);
    expect(loads).toEqual([]);
    const [first, second] = await Promise.all([
      manager.getPlugin("Echo/v1", "componentLister"),
      manager.getPlugin("Echo/v1", "componentLister"),
    ]);
    expect(await first.listComponents({ repository: { type: "Echo/v1" } })).toEqual({ components: ["a"] });
    expect(await second.listComponents({ repository: { type: "Echo/v1" } })).toEqual({ components: ["a"] });
    expect(loads).toEqual(["echo"]);
    await manager.close();
  });

  it("puts a lazily registered plugin whose code fails to load in config error, with the reason (#15)", async () => {
    const home = await useTempDir();
    const definition = inProcessEcho(["a"]);
    const manager = managerWith(home, {
      builtins: [
        {
          id: "echo",
          document: describePlugin(definition),
          load: () => Promise.reject(new Error("cannot find module ./echo/plugin.js")),
        },
      ],
    });
    const error = await manager.getPlugin("Echo/v1", "componentLister").catch((e: unknown) => e);
    expect(error).toMatchObject({ message: expect.stringContaining("cannot find module") as unknown });
    const [entry] = await manager.list();
    expect(entry?.runtime).toMatchObject({ state: "config error" });
    await expect(manager.getPlugin("Echo/v1", "componentLister")).rejects.toBe(error);
    await manager.close();
  });

  it("refuses registrations after first use and any call after close", async () => {
    const home = await useTempDir();
    const manager = managerWith(home, { builtins: [inProcessEcho(["a"])] });
    await manager.list();
    expect(() => manager.registerPlugin({ ...inProcessEcho([]), name: "late" })).toThrow(/registered after/);
    await manager.close();
    await expect(manager.getPlugin("Echo/v1", "componentLister")).rejects.toMatchObject({
      code: "OCM_PLUGIN_STOPPED",
    });
  });

  it("keeps working when a plugin directory holds a broken plugin", async () => {
    const { home, dir } = await pluginDirWithEcho();
    await writeFile(join(dir, "broken"), "#!/bin/sh\nexit 4\n", { mode: 0o755 });
    const manager = managerWith(home, { builtins: [], pluginDirs: [dir] });
    const found = await manager.getPlugin("Echo/v1", "componentLister");
    await expect(found.listComponents({ repository: { type: "Echo/v1" } })).resolves.toBeDefined();
    expect((await manager.info("broken")).state).toBe("broken");
    await expect(manager.connectionStatus("broken")).rejects.toMatchObject({ code: "OCM_PLUGIN_BROKEN" });
    await manager.close();
  });

  it("stops started plugins on close", async () => {
    const { home, dir } = await pluginDirWithEcho();
    const manager = managerWith(home, { builtins: [], pluginDirs: [dir] });
    const found = await manager.getPlugin("Echo/v1", "componentLister");
    await found.listComponents({ repository: { type: "Echo/v1" } });
    const pid = (await manager.info("echo")).runtime?.pid as number;
    expect(pid).toBeGreaterThan(0);
    await manager.close();
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
