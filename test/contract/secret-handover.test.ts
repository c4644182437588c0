// The per-launch secret and a plugin's own config reach it on stdin, never on its command line, which every
// local user can read in /proc/<pid>/cmdline (#10); checked for the SDK and the Python plugin on TCP.
import { readFileSync } from "node:fs";
import { chmod, copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { createPluginManager } from "../../manager/index.js";
import { sendPluginRequest } from "../../manager/host/conformance/plugin-http.js";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const PASSWORD = "pa55-only-on-stdin-7f3a";

const plugins = {
  "TypeScript SDK": async () => ({
    source: await bundleExecutable("test/fixtures/plugins/echo/main.ts", "echo-sdk"),
    file: "echo.mjs",
  }),
  Python: async () => ({
    source: join(REPO_ROOT, "test/fixtures/plugins/python/echo_plugin.py"),
    file: "echo.py",
  }),
};

describe.each(Object.entries(plugins))("the %s plugin started by the manager", (_name, executable) => {
  it("has neither the secret nor its own config on its command line, and wants the secret (#10)", async () => {
    const home = await useTempDir();
    const dir = join(home, "plugins");
    await mkdir(dir);
    const { source, file } = await executable();
    await copyFile(source, join(dir, file));
    await chmod(join(dir, file), 0o755);
    const manager = createPluginManager({
      builtins: [],
      pluginDirs: [dir],
      cacheFile: false,
      env: {},
      home,
      transport: "tcp",
      handleSignals: false,
      logLevel: "silent",
      pluginConfig: { echo: { credentials: { "ghcr.io": { username: "octo", password: PASSWORD } } } },
    });
    onTestFinished(() => manager.close());

    // A call with the secret works, and the config that came on stdin is the one in use.
    const credentials = await manager.getPlugin("EchoCredentials/v1", "credentialRepository");
    await expect(
      credentials.resolve({ config: { type: "EchoCredentials/v1" }, identity: { hostname: "ghcr.io" } }),
    ).resolves.toEqual({ credentials: { username: "octo", password: PASSWORD } });

    const runtime = (await manager.info("echo")).runtime;
    expect(runtime).toMatchObject({ state: "running" });
    const cmdline = readFileSync(`/proc/${runtime?.pid}/cmdline`, "utf8").split("\0");
    const argvConfig = JSON.parse(cmdline[cmdline.indexOf("--config") + 1] as string) as object;
    expect(argvConfig).toMatchObject({ id: "echo", type: "tcp", secrets: "stdin" });
    expect(Object.keys(argvConfig)).not.toContain("secret");
    expect(Object.keys(argvConfig)).not.toContain("config");
    expect(cmdline.join(" ")).not.toContain(PASSWORD);
    expect(cmdline.join(" ")).not.toContain("Bearer");

    // Without the secret, or with a wrong one, the plugin refuses.
    const [host, port] = (runtime?.location as string).split(":");
    const endpoint = { type: "tcp" as const, host: host as string, port: Number(port) };
    for (const secret of [undefined, "0".repeat(43)]) {
      const answer = await sendPluginRequest(endpoint, { method: "GET", path: "/v1/health", secret });
      expect(answer.status).toBe(401);
    }
  });
});
