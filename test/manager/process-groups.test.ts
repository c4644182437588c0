// A plugin and everything it forks live in one process group that the host stops as a whole (#10 item 4):
// a launcher that does not `exec`, or a plugin that ignores SIGTERM and forks, leaves nothing behind and
// holds no command up.
import { chmod, copyFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it, onTestFinished } from "vitest";
import { createPluginManager } from "../../manager/index.js";
import { cliEnv, ocmCli } from "../helpers/cli.js";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { groupProcesses, isRunning, waitFor } from "../helpers/processes.js";
import { useTempDir } from "../helpers/temp-dir.js";

/** A plugin directory holding `files` (name → source path). */
async function pluginDir(files: Record<string, string>): Promise<{ home: string; dir: string }> {
  const home = await useTempDir();
  const dir = join(home, "plugins");
  await mkdir(dir, { recursive: true });
  for (const [name, source] of Object.entries(files)) {
    await copyFile(source, join(dir, name));
    await chmod(join(dir, name), 0o755);
  }
  return { home, dir };
}

/** Kills what a failed test left behind. */
function killGroupAfterTest(pgid: number): void {
  onTestFinished(() => {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // Already gone.
    }
  });
}

describe("plugin process groups", () => {
  it("lists plugins at once when a capabilities launcher leaves a child holding stdout, and that child is gone (#10)", async () => {
    const { dir } = await pluginDir({
      "forks.sh": join(REPO_ROOT, "test/fixtures/plugins/groups/forks-capabilities.sh"),
    });
    const ocm = await ocmCli();
    const pidFile = join(ocm.home, "pids");
    const started = Date.now();
    const result = await execa(ocm.path, ["--plugin-dir", dir, "plugin", "list", "-o", "json"], {
      reject: false,
      cwd: ocm.home,
      env: { ...cliEnv(ocm.home), OCM_TEST_PID_FILE: pidFile },
      timeout: 25_000,
    });
    const took = Date.now() - started;
    expect(result.exitCode).toBe(0);
    const listed = JSON.parse(String(result.stdout)) as { plugins: { id: string; state: string }[] };
    expect(listed.plugins.find((p) => p.id === "forks")?.state).toBe("ok");
    // The background `sleep 30` held stdout for 30 s; the command must not wait for it.
    expect(took).toBeLessThan(10_000);
    const [leader, child] = (await readFile(pidFile, "utf8")).trim().split(" ").map(Number) as [
      number,
      number,
    ];
    killGroupAfterTest(leader);
    expect(await isRunning(child)).toBe(false);
    expect(await groupProcesses(leader)).toEqual([]);
  });

  it("leaves no process of a plugin's group after close() when the plugin ignores SIGTERM and forks a grandchild (#10)", async () => {
    const { home, dir } = await pluginDir({
      "stubborn.mjs": await bundleExecutable("test/fixtures/plugins/stubborn/main.ts", "stubborn"),
    });
    const manager = createPluginManager({
      pluginDirs: [dir],
      cacheFile: false,
      env: {},
      home,
      handleSignals: false,
      logLevel: "silent",
    });
    await manager.connectionStatus("stubborn");
    const pgid = (await manager.info("stubborn")).runtime?.pid as number;
    killGroupAfterTest(pgid);
    // The plugin and its grandchild (sh, then sleep) run in the plugin's group.
    expect(await waitFor(async () => (await groupProcesses(pgid)).length >= 3, 5_000)).toBe(true);
    const started = Date.now();
    await manager.close();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await groupProcesses(pgid)).toEqual([]);
  });
});
