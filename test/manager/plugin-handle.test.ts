// One handle per plugin, in-process or external (#12 item 5): the registry keeps a running plugin across a
// new discovery, and an in-process plugin's control routes are checked like those on the wire.
import { describe, expect, it } from "vitest";
import type { PluginDefinition } from "../../core/index.js";
import { createPluginManager } from "../../manager/index.js";
import { installEcho } from "../helpers/install-echo.js";
import { useTempDir } from "../helpers/temp-dir.js";

const quiet = { cacheFile: false, env: {}, handleSignals: false, logLevel: "silent" } as const;

/** An in-process plugin whose control hooks answer what the test hands them. */
function controlled(status: unknown, result: unknown): PluginDefinition {
  return {
    name: "controlled",
    types: { "Controlled/v1": { capabilities: {} } },
    connectionStatus: () => status as never,
    testConnection: () => result as never,
  };
}

describe("plugin handles", () => {
  it("keeps an external plugin's running process when discovery runs again (#12)", async () => {
    const { home, dir } = await installEcho();
    const manager = createPluginManager({ ...quiet, builtins: [], pluginDirs: [dir], home });
    try {
      const lister = await manager.getPlugin("Echo/v1", "componentLister");
      await lister.listComponents({ repository: { type: "Echo/v1" } });
      const before = await manager.info("echo");
      expect(before.runtime).toMatchObject({ state: "running", starts: 1 });

      const [after] = (await manager.list({ refresh: true })).filter((p) => p.id === "echo");
      expect(after?.runtime).toMatchObject({ state: "running", starts: 1, pid: before.runtime?.pid });
      const again = await manager.getPlugin("Echo/v1", "componentLister");
      await again.listComponents({ repository: { type: "Echo/v1" } });
      expect((await manager.info("echo")).runtime).toMatchObject({ pid: before.runtime?.pid, starts: 1 });
    } finally {
      await manager.close();
    }
  });

  it("refuses an in-process plugin's invalid connection status like a remote one's (#12)", async () => {
    const home = await useTempDir();
    const manager = createPluginManager({
      ...quiet,
      home,
      builtins: [controlled({ status: "fine" }, { ok: true })],
    });
    try {
      await expect(manager.connectionStatus("controlled")).rejects.toMatchObject({
        code: "OCM_RPC_BAD_RESPONSE",
        message: expect.stringContaining("field status"),
      });
    } finally {
      await manager.close();
    }
  });

  it("checks an in-process test-connection request and its answer with the wire's schemas (#12)", async () => {
    const home = await useTempDir();
    const manager = createPluginManager({
      ...quiet,
      home,
      builtins: [controlled({ status: "connected" }, { ok: "yes" })],
    });
    try {
      await expect(manager.connectionStatus("controlled")).resolves.toEqual({ status: "connected" });
      await expect(
        manager.testConnection("controlled", { type: "", spec: { type: "Controlled/v1" } }),
      ).rejects.toMatchObject({
        code: "OCM_RPC_BAD_REQUEST",
        message: expect.stringContaining("field type"),
      });
      await expect(
        manager.testConnection("controlled", { type: "Controlled/v1", spec: { type: "Controlled/v1" } }),
      ).rejects.toMatchObject({ code: "OCM_RPC_BAD_RESPONSE", message: expect.stringContaining("field ok") });
    } finally {
      await manager.close();
    }
  });
});
