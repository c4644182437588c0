// Plugin stderr as a user of the manager sees it: JSON log lines come out of the host's logger with the
// plugin id; a plugin whose unix socket path would be too long is reached over loopback TCP instead.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createPluginManager } from "../../manager/index.js";
import { installEcho } from "../helpers/install-echo.js";
import { useTempDir } from "../helpers/temp-dir.js";

describe("plugin logs and transport fallback", () => {
  it("re-emits a plugin's JSON log lines through the host logger with the plugin id", async () => {
    const { home, dir } = await installEcho();
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split("\n").filter(Boolean))
          lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino({ level: "debug", base: null }, sink);
    const manager = createPluginManager({
      pluginDirs: [dir],
      cacheFile: false,
      env: {},
      home,
      handleSignals: false,
      logger,
    });
    await (
      await manager.getPlugin("Echo/v1", "componentLister")
    ).listComponents({ repository: { type: "Echo/v1" } });
    await manager.close();
    const listening = lines.find((line) => line["msg"] === "listening");
    expect(listening).toMatchObject({ plugin: "echo", level: 30 });
  });

  it("falls back to loopback TCP when the socket path would be too long", async () => {
    const { home, dir } = await installEcho();
    const longTmp = join(await useTempDir(), "x".repeat(60), "y".repeat(60));
    await mkdir(longTmp, { recursive: true });
    const saved = process.env["TMPDIR"];
    process.env["TMPDIR"] = longTmp;
    try {
      const manager = createPluginManager({
        pluginDirs: [dir],
        cacheFile: false,
        env: {},
        home,
        handleSignals: false,
        logLevel: "silent",
      });
      await (
        await manager.getPlugin("Echo/v1", "componentLister")
      ).listComponents({ repository: { type: "Echo/v1" } });
      expect((await manager.info("echo")).runtime?.location).toMatch(/^127\.0\.0\.1:\d+$/);
      await manager.close();
    } finally {
      if (saved === undefined) delete process.env["TMPDIR"];
      else process.env["TMPDIR"] = saved;
    }
  });
});

describe("call credentials", () => {
  it.each(["in-process", "external"])("hands explicit call credentials to the %s plugin", async (form) => {
    const { home, dir } = await installEcho();
    const { echoPlugin } = await import("../fixtures/plugins/echo/definition.js");
    const manager = createPluginManager({
      ...(form === "external" ? { pluginDirs: [dir] } : { builtins: [echoPlugin] }),
      cacheFile: false,
      env: {},
      home,
      handleSignals: false,
      logLevel: "silent",
    });
    const lister = await manager.getPlugin("Echo/v1", "componentLister");
    const repository = { type: "Echo/v1", showCredentials: true };
    await expect(lister.listComponents({ repository })).resolves.toEqual({ components: ["user:-"] });
    await expect(
      lister.listComponents({ repository }, { credentials: { username: "octo", password: "s3cret" } }),
    ).resolves.toEqual({ components: ["user:octo"] });
    await manager.close();
  });
});
