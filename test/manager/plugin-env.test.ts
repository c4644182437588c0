// PluginManagerOptions.env reaches the plugins' own processes (#12): overlaid on the host's environment, so a
// plugin still finds its interpreter, with `undefined` removing a variable.
import { chmod, copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createPluginManager, type PluginManagerOptions } from "../../manager/index.js";
import { bundleExecutable } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

// A plugin whose `capabilities` names its type after what it finds in its environment.
const ENV_TYPES = `#!/bin/sh
if [ "$1" != capabilities ]; then exit 64; fi
if [ -n "\${HOME+set}" ]; then home=Home; else home=Nohome; fi
printf '{"type":{"%s/v1":["componentLister"],"%s/v1":["componentLister"]}}\\n' "\${OCM_TEST_TYPE:-Unset}" "$home"
`;

async function managerIn(dir: string, home: string, options: PluginManagerOptions) {
  const manager = createPluginManager({
    builtins: [],
    pluginDirs: [dir],
    cacheFile: false,
    home,
    handleSignals: false,
    logLevel: "silent",
    ...options,
  });
  return manager;
}

describe("the environment of plugin processes", () => {
  it("runs capabilities with a variable set in options.env and without one set to undefined (#12)", async () => {
    const home = await useTempDir();
    const dir = join(home, "plugins");
    await mkdir(dir);
    await writeFile(join(dir, "env-types"), ENV_TYPES);
    await chmod(join(dir, "env-types"), 0o755);
    expect(process.env["HOME"]).toBeDefined();

    const plain = await managerIn(dir, home, { env: {} });
    const [inherited] = await plain.list();
    await plain.close();
    expect(Object.keys(inherited?.document?.type ?? {}).sort()).toEqual(["Home/v1", "Unset/v1"]);

    const overlaid = await managerIn(dir, home, { env: { OCM_TEST_TYPE: "Fromenv", HOME: undefined } });
    const [changed] = await overlaid.list();
    await overlaid.close();
    expect(changed?.state).toBe("ok");
    expect(Object.keys(changed?.document?.type ?? {}).sort()).toEqual(["Fromenv/v1", "Nohome/v1"]);
  });

  it("starts a plugin server that sees a variable set in options.env (#12)", async () => {
    const home = await useTempDir();
    const dir = join(home, "plugins");
    await mkdir(dir);
    const plugin = join(dir, "configured.mjs");
    await copyFile(await bundleExecutable("test/fixtures/plugins/configured/main.ts", "configured"), plugin);
    await chmod(plugin, 0o755);
    const out = join(home, "received.jsonl");
    expect(process.env["OCM_TEST_CONFIG_OUT"]).toBeUndefined();

    const manager = await managerIn(dir, home, {
      env: { OCM_TEST_CONFIG_OUT: out },
      pluginConfig: { configured: { greeting: "hello" } },
    });
    try {
      const repository = await manager.getPlugin("Configured/v1", "componentVersionRepository");
      await expect(
        repository.getComponentVersion({
          repository: { type: "Configured/v1" },
          component: "acme.org/app",
          version: "1.0.0",
        }),
      ).rejects.toMatchObject({ code: "OCM_REPOSITORY_NOT_FOUND" });
    } finally {
      await manager.close();
    }
    // The plugin's init wrote to the file its environment named: the variable reached the server process.
    const [start] = (await readFile(out, "utf8")).split("\n").filter(Boolean);
    expect(JSON.parse(start ?? "{}")).toMatchObject({ config: { greeting: "hello" } });
  });
});
