// manager.runAction (#17 item 4) as a library user calls it: an external plugin's progress lines reach
// onProgress while its answer is still open, and an in-process plugin built with the SDK's createActions
// answers the same way, its thrown error coming back with its own code.
import { chmod, copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { OcmError, createPluginManager, type ActionProgress } from "../../index.js";
import { createActions } from "../../sdk/index.js";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const PROBE = join(REPO_ROOT, "test/fixtures/plugins/actions/action_probe.py");

async function managerWith(options: Parameters<typeof createPluginManager>[0] = {}) {
  const home = await useTempDir();
  const dir = join(home, "plugins");
  await mkdir(dir);
  await copyFile(PROBE, join(dir, "action-probe.py"));
  const manager = createPluginManager({
    home,
    pluginDirs: [dir],
    cacheFile: false,
    handleSignals: false,
    ...options,
  });
  onTestFinished(() => manager.close());
  return { manager, home };
}

describe("manager.runAction (#17)", () => {
  it("hands each progress line on while the plugin's answer is still open", async () => {
    const { manager, home } = await managerWith();
    const path = join(home, "seen");
    const progress: ActionProgress[] = [];
    const run = await manager.runAction({
      plugin: "action-probe",
      action: "await-file",
      data: { path },
      // The plugin answers ok only if this file appears, which happens only once the host saw its first line.
      onProgress: (line) => {
        progress.push(line);
        void writeFile(path, "seen");
      },
    });
    expect(progress.map((p) => p.message)).toEqual([`waiting for ${path}`]);
    expect(run).toMatchObject({ plugin: "action-probe", action: "await-file", type: "Probe/v1", ok: true });
    expect(run.message).toBe("found it");
  });

  it("gets an SDK plugin's progress line over its socket before the action ends", async () => {
    const { manager, home } = await managerWith();
    const sdkProbe = join(home, "plugins", "sdk-probe.mjs");
    await copyFile(await bundleExecutable("test/fixtures/plugins/actions/sdk-actions.ts"), sdkProbe);
    await chmod(sdkProbe, 0o755);
    const path = join(home, "seen-by-host");
    const run = await manager.runAction({
      plugin: "sdk-probe",
      action: "await-file",
      data: { path },
      onProgress: () => void writeFile(path, "seen"),
    });
    expect(run).toMatchObject({ type: "SdkProbe/v1", ok: true, message: "found it" });
  });

  it("runs an in-process action made with createActions, and returns its thrown error with its code", async () => {
    const actions = createActions({
      count: {
        description: "count to n",
        schema: { type: "object", properties: { n: { type: "integer", maximum: 5 } }, required: ["n"] },
        run: (data, { progress, scope }) => {
          const { n } = data as { n: number };
          for (let i = 1; i <= n; i++) progress(`${i}`);
          return { data: { counted: n, scope: scope.name } };
        },
      },
      refuse: {
        run: () => {
          throw new OcmError({ code: "OCM_COUNTER_REFUSED", message: "no counting today", hint: "tomorrow" });
        },
      },
    });
    const { manager } = await managerWith({
      builtins: [
        {
          name: "counter",
          types: {
            "Counter/v1": { capabilities: { action: actions.runner }, actions: actions.declarations },
          },
        },
      ],
    });
    const lines: string[] = [];
    const run = await manager.runAction({
      plugin: "counter",
      action: "count",
      data: { n: 3 },
      onProgress: (p) => lines.push(p.message),
    });
    expect(lines).toEqual(["1", "2", "3"]);
    expect(run).toEqual({
      plugin: "counter",
      action: "count",
      type: "Counter/v1",
      scope: { name: "*" },
      ok: true,
      result: { counted: 3, scope: "*" },
    });

    await expect(
      manager.runAction({ plugin: "counter", action: "count", data: { n: 6 } }),
    ).rejects.toMatchObject({
      code: "OCM_ACTION_DATA_INVALID",
      message: "action count of plugin counter: data field n: must be <= 5",
    });
    await expect(manager.runAction({ plugin: "counter", action: "refuse" })).rejects.toMatchObject({
      code: "OCM_COUNTER_REFUSED",
      message: "action refuse of plugin counter failed: no counting today",
      hint: "tomorrow",
    });
  });
});
