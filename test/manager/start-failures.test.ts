// A plugin that cannot start fails the call that needed it with the plugin id, the bound or exit code and
// the tail of its stderr, and is marked broken after repeated failures; other plugins are unaffected.
import { chmod, copyFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { createPluginManager } from "../../manager/index.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const BROKEN = join(REPO_ROOT, "test/fixtures/plugins/broken");

async function managerWith(files: string[], startTimeoutMs = 10_000) {
  const home = await useTempDir();
  const dir = join(home, "plugins");
  await mkdir(dir, { recursive: true });
  for (const file of files) {
    await copyFile(join(BROKEN, file), join(dir, file));
    await chmod(join(dir, file), 0o755);
  }
  return createPluginManager({
    pluginDirs: [dir],
    cacheFile: false,
    env: {},
    home,
    handleSignals: false,
    logLevel: "silent",
    startTimeoutMs,
  });
}

describe("plugin start failures", () => {
  it("names the plugin, the exit code and the stderr tail when the server exits before it is ready", async () => {
    const manager = await managerWith(["fails-init.sh"]);
    const lister = await manager.getPlugin("Failing/v1", "componentLister");
    const error = await lister
      .listComponents({ repository: { type: "Failing/v1" } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "OCM_PLUGIN_START_FAILED" });
    const message = (error as Error).message;
    expect(message).toContain("fails-init");
    expect(message).toContain("exit code 75");
    expect(message).toContain("token file /run/secrets/token is missing");
    await manager.close();
  });

  it("escapes the control characters of a plugin's stderr in the start error (#10)", async () => {
    const manager = await managerWith(["terminal-escapes.sh"]);
    const lister = await manager.getPlugin("Escaping/v1", "componentLister");
    const error = await lister
      .listComponents({ repository: { type: "Escaping/v1" } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "OCM_PLUGIN_START_FAILED" });
    const message = (error as Error).message;
    expect(message).toContain("  | server broke\\x1b[2J\\x1b]0;pwned\\x07\n  | Code: OCM_FAKE");
    expect(message).not.toMatch(/^Code: OCM_FAKE/m);
    // eslint-disable-next-line no-control-regex -- no raw control character may be left
    expect(message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    await manager.close();
  });

  it("gives up on a server that never listens after the start timeout", async () => {
    const manager = await managerWith(["never-listens.sh"], 700);
    const lister = await manager.getPlugin("Silent/v1", "componentLister");
    const error = await lister.listComponents({ repository: { type: "Silent/v1" } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "OCM_PLUGIN_START_TIMEOUT" });
    expect((error as Error).message).toMatch(/never-listens.*700 ms/);
    expect((error as Error).message).toContain("waiting for nothing");
    await manager.close();
  });

  it("marks a plugin broken after repeated failed starts and then fails fast with the reason", async () => {
    const manager = await managerWith(["crashes-at-start.sh"]);
    const lister = await manager.getPlugin("Crashing/v1", "componentLister");
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push(
        await lister.listComponents({ repository: { type: "Crashing/v1" } }).then(
          () => "ok",
          (e: { code: string }) => e.code,
        ),
      );
    }
    expect(codes).toEqual([
      "OCM_PLUGIN_START_FAILED",
      "OCM_PLUGIN_START_FAILED",
      "OCM_PLUGIN_START_FAILED",
      "OCM_PLUGIN_START_FAILED",
      "OCM_PLUGIN_BROKEN",
    ]);
    expect((await manager.info("crashes-at-start")).runtime?.state).toBe("broken");
    await manager.close();
  });

  it("puts a plugin whose init fails into config error at once: started once, every later call fails with the same error (#13)", async () => {
    const marker = join(await useTempDir(), "starts");
    process.env["OCM_TEST_RUN_MARKER"] = marker;
    onTestFinished(() => {
      delete process.env["OCM_TEST_RUN_MARKER"];
    });
    const manager = await managerWith(["fails-init.sh"]);
    const lister = await manager.getPlugin("Failing/v1", "componentLister");
    const errors: { code: string; message: string }[] = [];
    for (let i = 0; i < 4; i++) {
      errors.push(
        await lister.listComponents({ repository: { type: "Failing/v1" } }).then(
          () => ({ code: "ok", message: "" }),
          (e: { code: string; message: string }) => e,
        ),
      );
    }
    expect(new Set(errors.map((e) => e.code))).toEqual(new Set(["OCM_PLUGIN_START_FAILED"]));
    expect(new Set(errors.map((e) => e.message)).size).toBe(1);
    expect(errors[0]?.message).toContain("token file /run/secrets/token is missing");
    expect((await readFile(marker, "utf8")).trim().split("\n")).toHaveLength(1);
    const info = await manager.info("fails-init");
    expect(info.runtime).toMatchObject({ state: "config error", code: "OCM_PLUGIN_START_FAILED" });
    expect(info.runtime?.reason).toContain("init failed (exit code 75)");
    await manager.close();
  });
});
