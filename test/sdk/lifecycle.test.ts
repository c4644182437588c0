// How a plugin server ends: idle timeout, SIGTERM, the shutdown route, a vanished host; and how it starts
// over a stale socket file.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { lstat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { PLUGIN_EXIT, capabilityRoute } from "../../core/index.js";
import { generatedSha256 } from "../contract/generated-bytes.js";
import { useTempDir } from "../helpers/temp-dir.js";
import {
  call,
  echoExecutable,
  faultyExecutable,
  isAlive,
  open,
  postJson,
  runCommand,
  startServer,
  waitFor,
} from "./plugin-process.js";

const repository = { type: "Echo/v1" };

async function echoConfig(extra: Record<string, unknown> = {}) {
  const dir = await useTempDir();
  return { id: "echo", type: "unix", location: join(dir, "echo.sock"), ...extra };
}

describe("plugin server lifecycle", () => {
  it("exits 0 after the idle timeout and removes its socket", async () => {
    const config = await echoConfig({ idleTimeout: "300ms" });
    const plugin = await startServer(await echoExecutable(), config);
    expect((await call(plugin.target, "/v1/health")).status).toBe(200);
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(config.location)).toBe(false);
    expect(plugin.stderr()).toContain('"reason":"idle timeout"');
  });

  it("takes the idle timeout in integer nanoseconds too", async () => {
    const plugin = await startServer(await echoExecutable(), await echoConfig({ idleTimeout: 200_000_000 }));
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
  });

  it("keeps running past the idle timeout while a slow download is in flight", async () => {
    const plugin = await startServer(await echoExecutable(), await echoConfig({ idleTimeout: "300ms" }));
    const size = 64 * 1024 * 1024;
    const res = await open(
      plugin.target,
      capabilityRoute("resourceRepository", "Generated/v1", "get-resource"),
      {
        body: JSON.stringify({
          resource: { name: "gen", type: "blob", access: { type: "Generated/v1", size, seed: 3 } },
        }),
      },
    );
    const hash = createHash("sha256");
    let received = 0;
    let paused = false;
    for await (const chunk of res as AsyncIterable<Buffer>) {
      hash.update(chunk);
      received += chunk.length;
      if (!paused) {
        // Backpressure holds the plugin mid-stream for well over its idle timeout.
        paused = true;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        expect(isAlive(plugin.child.pid as number)).toBe(true);
        expect(plugin.stderr()).not.toContain('"msg":"stopping"');
      }
    }
    expect(received).toBe(size);
    expect(hash.digest("hex")).toBe(generatedSha256(size, 3));
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
  });

  it("lets a call in flight finish on SIGTERM, then exits 0 and removes its socket", async () => {
    const config = await echoConfig();
    const plugin = await startServer(await echoExecutable(), { ...config, logLevel: "trace" });
    const slow = postJson(
      plugin.target,
      capabilityRoute("componentVersionRepository", "Echo/v1", "get-component-version"),
      {
        repository,
        component: "slow.example/x",
        version: "1.0.0",
      },
    );
    expect(await waitFor(() => plugin.stderr().includes('"msg":"request received"'), 10_000)).toBe(true);
    plugin.child.kill("SIGTERM");
    const answer = await slow;
    expect(answer.json()).toMatchObject({ code: "OCM_REPOSITORY_NOT_FOUND" });
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(config.location)).toBe(false);
  });

  it("exits 0 without ever listening when SIGTERM arrives during init", async () => {
    const config = { ...(await echoConfig()), config: { initDelayMs: 5_000 } };
    let child: ChildProcess | undefined;
    let stderr = "";
    const starting = runCommand(
      await faultyExecutable(),
      ["server", "--config", JSON.stringify(config)],
      (c) => {
        child = c;
        c.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      },
    );
    expect(await waitFor(() => stderr.includes("init started"), 10_000)).toBe(true);
    child?.kill("SIGTERM");
    const result = await starting;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    expect(existsSync(config.location)).toBe(false);
  });

  it("answers the shutdown route, then exits 0", async () => {
    const config = await echoConfig();
    const plugin = await startServer(await echoExecutable(), config);
    expect((await call(plugin.target, "/v1/shutdown", { method: "POST" })).status).toBe(200);
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(config.location)).toBe(false);
  });

  it("reads the secrets line, then still exits when its stdin pipe from the host closes (#10)", async () => {
    const plugin = await startServer(await echoExecutable(), await echoConfig());
    expect((await call(plugin.target, "/v1/health")).status).toBe(200);
    plugin.child.stdin?.end();
    expect(await plugin.exited).toEqual({ code: 0, signal: null });
  });

  it("exits within 2 s when the host that started it is SIGKILLed", async () => {
    const dir = await useTempDir();
    const host = join(dir, "host.mjs");
    await writeFile(
      host,
      [
        'import { spawn } from "node:child_process";',
        "const [plugin, config] = process.argv.slice(2);",
        "const withParent = JSON.stringify({ ...JSON.parse(config), parentPid: process.pid });",
        // stdin is not a pipe here, so only the parentPid check can notice the host is gone.
        'const child = spawn(plugin, ["server", "--config", withParent], { stdio: ["ignore", "pipe", "inherit"] });',
        'child.stdout.once("data", () => process.stdout.write(JSON.stringify({ pid: child.pid }) + "\\n"));',
        "setInterval(() => {}, 60_000);",
      ].join("\n"),
    );
    const intermediate = spawn(
      process.execPath,
      [host, await echoExecutable(), JSON.stringify(await echoConfig())],
      {
        stdio: ["ignore", "pipe", "ignore"],
      },
    );
    onTestFinished(() => void intermediate.kill("SIGKILL"));
    const line = await new Promise<string>((resolve, reject) => {
      intermediate.stdout.once("data", (c: Buffer) => resolve(c.toString()));
      intermediate.once("exit", (code) =>
        reject(new Error(`the host exited with ${code} before the plugin was ready`)),
      );
    });
    const { pid } = JSON.parse(line) as { pid: number };
    onTestFinished(() => {
      if (isAlive(pid)) process.kill(pid, "SIGKILL");
    });
    expect(isAlive(pid)).toBe(true);
    intermediate.kill("SIGKILL");
    expect(await waitFor(() => !isAlive(pid), 2_000)).toBe(true);
  });

  it("starts over a stale socket file left at its location by a killed process", async () => {
    const config = await echoConfig();
    const script = `require("node:net").createServer().listen(${JSON.stringify(config.location)}, () => console.log("up"))`;
    const crashed = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "ignore"] });
    await new Promise((resolve) => crashed.stdout.once("data", resolve));
    crashed.kill("SIGKILL");
    await new Promise((resolve) => crashed.once("exit", resolve));
    expect((await lstat(config.location)).isSocket()).toBe(true);
    const plugin = await startServer(await echoExecutable(), config);
    expect((await call(plugin.target, "/v1/health")).status).toBe(200);
  });

  it("does not take over a socket something still listens on, and exits 69", async () => {
    const config = await echoConfig();
    const live = createServer();
    await new Promise<void>((resolve) => live.listen(config.location, resolve));
    onTestFinished(() => void live.close());
    const result = await runCommand(await echoExecutable(), ["server", "--config", JSON.stringify(config)]);
    expect(result.code).toBe(PLUGIN_EXIT.LISTEN);
  });
});
