// How the manager knows a started plugin listens: the contract's ready line for this launch's location,
// or, for a plugin that prints nothing, health polling.
import { execa } from "execa";
import { chmod, copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createPluginManager } from "../../manager/index.js";
import { isReadyLine } from "../../manager/host/process/wait-healthy.js";
import { REPO_ROOT } from "../helpers/executables.js";

describe("the ready line", () => {
  const line = (fields: Record<string, unknown>) =>
    JSON.stringify({ event: "ready", location: "/run/p.sock", protocol: "1.0.0", pid: 7, ...fields });

  it("counts only for the location chosen for this launch", () => {
    expect(isReadyLine(line({}), "/run/p.sock")).toBe(true);
    expect(isReadyLine(line({}), "/run/other.sock")).toBe(false);
    expect(isReadyLine(line({ location: "127.0.0.1:4000" }), "127.0.0.1:4000")).toBe(true);
  });

  it("does not count when it is not the contract's ready event", () => {
    expect(isReadyLine(line({ event: "listening" }), "/run/p.sock")).toBe(false);
    expect(isReadyLine(line({ pid: "7" }), "/run/p.sock")).toBe(false);
    expect(isReadyLine("ready", "/run/p.sock")).toBe(false);
    expect(isReadyLine('{"event":"ready",', "/run/p.sock")).toBe(false);
  });
});

describe("a plugin that prints no ready line", () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    delete process.env["OCM_ECHO_NO_READY_LINE"];
    await cleanup?.();
  });

  it("is found by health polling and answers its calls", async () => {
    const home = await mkdtemp(join(tmpdir(), "ocm-ts-readiness-"));
    const dir = join(home, "plugins");
    await mkdir(dir);
    const plugin = join(dir, "echo-py.py");
    await copyFile(join(REPO_ROOT, "test/fixtures/plugins/python/echo_plugin.py"), plugin);
    await chmod(plugin, 0o755);
    // The fixture really stays silent: it listens and says so on stderr only.
    const config = { id: "echo-py", type: "unix", location: join(home, "p.sock"), idleTimeout: "5s" };
    const child = execa(plugin, ["server", "--config", JSON.stringify(config)], {
      env: { OCM_ECHO_NO_READY_LINE: "1" },
      reject: false,
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    await new Promise<void>((resolve) =>
      child.stderr.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && resolve()),
    );
    child.kill("SIGTERM");
    await child;
    expect(stdout).toBe("");
    // The manager hands its environment to the plugins it starts.
    process.env["OCM_ECHO_NO_READY_LINE"] = "1";
    const manager = createPluginManager({
      builtins: [],
      pluginDirs: [dir],
      cacheFile: false,
      env: {},
      home,
      handleSignals: false,
      logLevel: "silent",
    });
    cleanup = async () => {
      await manager.close();
      await rm(home, { recursive: true, force: true });
    };
    const lister = await manager.getPlugin("Echo/v1", "componentLister");
    await expect(lister.listComponents({ repository: { type: "Echo/v1" } })).resolves.toEqual({
      components: [],
    });
    const [entry] = await manager.list();
    expect(entry?.runtime).toMatchObject({ state: "running", starts: 1 });
  });
});
