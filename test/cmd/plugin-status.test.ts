// `ocm plugin status` (#13 items 1 and 6): the plugin processes other ocm processes of this user run, read
// from the runtime records the reaper uses, with their use; plugins in config error, whether this process
// finds the config wrong or another process saw the plugin's init fail; a dead owner's entries are gone.
import { execa } from "execa";
import { chmod, copyFile, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { cliEnv, ocmCli } from "../helpers/cli.js";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { installEcho } from "../helpers/install-echo.js";
import { isRunning, waitFor } from "../helpers/processes.js";

interface Status {
  instances: {
    pid: number;
    plugin: string;
    transport: string;
    startedAt: string;
    calls: number;
    lastCallAt?: string;
    idleMs: number;
    owner: { pid: number };
    connection: { status: string };
  }[];
  failed: { plugin: string; state: string; reason: string; code?: string; ownerPid?: number }[];
}

/** `ocm` with its own runtime directory (XDG_RUNTIME_DIR) and $TMPDIR, and `env` for other processes. */
async function isolatedCli() {
  const ocm = await ocmCli();
  const runtime = join(ocm.home, "xdg-run");
  const tmp = join(ocm.home, "tmp");
  await mkdir(runtime, { mode: 0o700 });
  await mkdir(tmp, { mode: 0o700 });
  const env = { ...cliEnv(ocm.home), XDG_RUNTIME_DIR: runtime, TMPDIR: tmp };
  const runWith = (extra: Record<string, string>, ...args: string[]) =>
    execa(ocm.path, args, { reject: false, cwd: ocm.home, env: { ...env, ...extra } });
  const run = (...args: string[]) => runWith({}, ...args);
  const status = async () => {
    const result = await run("plugin", "status", "-o", "json");
    expect(result.exitCode).toBe(0);
    return JSON.parse(result.stdout) as Status;
  };
  return { home: ocm.home, env, records: join(runtime, "ocm"), run, runWith, status };
}

/** Starts the hold-plugin library script for plugin `id` in `dir`; resolves once it printed `ready`. */
async function holdPlugin(dir: string, id: string, env: Record<string, string>) {
  const script = await bundleExecutable("test/fixtures/hosts/hold-plugin.ts", "hold-plugin");
  const child = execa(process.execPath, [script, dir, id], {
    env: { ...process.env, ...env },
    reject: false,
  });
  onTestFinished(async () => {
    child.kill("SIGKILL");
    await child;
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
    void child.then((result) => reject(new Error(`hold-plugin ended: ${result.stderr}`)));
  });
  // Wrapped: the subprocess is a promise, which an async function would wait for instead of returning.
  return { pid: child.pid as number, kill: () => child.kill("SIGKILL"), ended: child.then(() => undefined) };
}

describe("ocm plugin status (#13)", () => {
  it("shows a plugin another ocm process runs, with its calls and connection status, and drops it when that process dies", async () => {
    const cli = await isolatedCli();
    const { dir } = await installEcho();
    const host = await holdPlugin(dir, "echo", cli.env);

    // Use counts reach the record within a second, never per call.
    let status: Status = { instances: [], failed: [] };
    expect(
      await waitFor(async () => {
        status = await cli.status();
        return status.instances.some((i) => i.plugin === "echo" && i.calls === 2);
      }, 10_000),
    ).toBe(true);
    const echo = status.instances.find((i) => i.plugin === "echo");
    expect(echo).toMatchObject({
      plugin: "echo",
      transport: "unix",
      calls: 2,
      owner: { pid: host.pid },
      connection: { status: "connected" },
    });
    expect(await isRunning(echo?.pid as number)).toBe(true);
    expect(Date.parse(echo?.lastCallAt as string)).toBeGreaterThanOrEqual(
      Date.parse(echo?.startedAt as string),
    );

    const table = await cli.run("plugin", "status");
    expect(table.stdout).toMatch(/PID\s+PLUGIN\s+TRANSPORT\s+STARTED\s+CALLS\s+IDLE\s+OWNER\s+CONNECTION/);
    expect(table.stdout).toMatch(
      new RegExp(`${echo?.pid}\\s+echo\\s+unix\\s+\\S+\\s+2\\s+\\d+s\\s+${host.pid}\\s+connected`),
    );

    host.kill();
    await host.ended;
    // The plugin ends with its host (its lifeline); the next status run removes the dead host's record.
    expect(await waitFor(async () => !(await isRunning(echo?.pid as number)), 10_000)).toBe(true);
    expect((await cli.status()).instances).toEqual([]);
    expect((await readdir(cli.records)).filter((name) => name.startsWith("host-"))).toEqual([]);
  });

  it("shows a plugin whose config breaks its configSchema as config error in list, status and test, and never starts it", async () => {
    const cli = await isolatedCli();
    const dir = join(cli.home, "plugins");
    await mkdir(dir);
    const plugin = join(dir, "configured.mjs");
    await copyFile(await bundleExecutable("test/fixtures/plugins/configured/main.ts", "configured"), plugin);
    await chmod(plugin, 0o755);
    await writeFile(
      join(cli.home, ".ocmconfig"),
      "type: plugin.config.ocm.software/v1\nplugins:\n  configured:\n    config: {greeting: hi, server: {port: 0}}\n",
    );
    const out = join(cli.home, "received.jsonl");
    const ocm = (...args: string[]) =>
      cli.runWith({ OCM_TEST_CONFIG_OUT: out }, "--plugin-dir", dir, ...args);

    const list = await ocm("plugin", "list");
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(/configured\s+external\s+0\.0\.1\s+config error/);
    expect(list.stdout).toContain("configured: config error: plugin configured: config file");
    const json = JSON.parse((await ocm("plugin", "list", "-o", "json")).stdout) as {
      plugins: { id: string; state: string; reason?: string; code?: string }[];
    };
    expect(json.plugins.find((p) => p.id === "configured")).toMatchObject({
      state: "config error",
      code: "OCM_PLUGIN_CONFIG_INVALID",
      reason: expect.stringContaining("field plugins.configured.config.server.port: must be >= 1"),
    });

    const status = JSON.parse((await ocm("plugin", "status", "-o", "json")).stdout) as Status;
    expect(status.failed).toContainEqual(
      expect.objectContaining({
        plugin: "configured",
        state: "config error",
        code: "OCM_PLUGIN_CONFIG_INVALID",
      }),
    );
    expect((await ocm("plugin", "status")).stdout).toMatch(
      /configured\s+config error\s+plugin configured: config file/,
    );

    const test = await ocm("plugin", "test", "configured");
    expect(test.exitCode).toBe(1);
    expect(test.stdout).toMatch(
      /plugin\s+FAIL\s+config error: plugin configured: config file .* must be >= 1/,
    );
    expect(await readFile(out, "utf8").catch(() => "")).toBe("");
  });

  it("shows a plugin whose init failed in another ocm process as config error with that process, started once (#13)", async () => {
    const cli = await isolatedCli();
    const dir = join(cli.home, "plugins");
    await mkdir(dir);
    await copyFile(join(REPO_ROOT, "test/fixtures/plugins/broken/fails-init.sh"), join(dir, "fails-init.sh"));
    await chmod(join(dir, "fails-init.sh"), 0o755);
    const marker = join(cli.home, "starts");
    const host = await holdPlugin(dir, "fails-init", { ...cli.env, OCM_TEST_RUN_MARKER: marker });

    const status = await cli.status();
    const failed = status.failed.find((f) => f.plugin === "fails-init");
    expect(failed).toMatchObject({
      state: "config error",
      ownerPid: host.pid,
      code: "OCM_PLUGIN_START_FAILED",
    });
    expect(failed?.reason).toContain("token file /run/secrets/token is missing");
    expect(status.instances).toEqual([]);
    // Two calls, one start: no restart loop.
    expect((await readFile(marker, "utf8")).trim().split("\n")).toHaveLength(1);

    host.kill();
    await host.ended;
    expect((await cli.status()).failed.some((f) => f.plugin === "fails-init")).toBe(false);
  });
});
