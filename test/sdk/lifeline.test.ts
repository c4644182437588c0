// The SDK's lifeline (#10 item 6): when the host is gone, a plugin ends itself and the process group it
// leads within a bound, without relying on its own code to cooperate.
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { bundleExecutable } from "../helpers/executables.js";
import { groupProcesses, waitFor } from "../helpers/processes.js";
import { useTempDir } from "../helpers/temp-dir.js";

// A host as the manager is one: the plugin leads its own group and gets a stdin pipe it never reads back.
const HOST = `
import { spawn } from "node:child_process";
const [plugin, config] = process.argv.slice(2);
const withParent = JSON.stringify({ ...JSON.parse(config), parentPid: process.pid });
const child = spawn(plugin, ["server", "--config", withParent], { stdio: ["pipe", "pipe", "inherit"], detached: true });
child.stdout.once("data", () => process.stdout.write(JSON.stringify({ pid: child.pid }) + "\\n"));
setInterval(() => {}, 60_000);
`;

describe("plugin lifeline", () => {
  it("ends itself and its whole group within 5 s of its host's SIGKILL, though it ignores SIGTERM, its close hook hangs and it forked (#10)", async () => {
    const dir = await useTempDir();
    const host = join(dir, "host.mjs");
    await writeFile(host, HOST);
    const config = { id: "stubborn", type: "unix", location: join(dir, "stubborn.sock"), logLevel: "warn" };
    const plugin = await bundleExecutable("test/fixtures/plugins/stubborn/main.ts", "stubborn");
    const intermediate = spawn(process.execPath, [host, plugin, JSON.stringify(config)], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    onTestFinished(() => void intermediate.kill("SIGKILL"));
    const line = await new Promise<string>((resolve, reject) => {
      intermediate.stdout.once("data", (c: Buffer) => resolve(c.toString()));
      intermediate.once("exit", (code) => reject(new Error(`the host exited with ${code} first`)));
    });
    const { pid: pgid } = JSON.parse(line) as { pid: number };
    onTestFinished(() => {
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        // Gone, as it should be.
      }
    });
    // The plugin, and its grandchild (sh, then sleep) in the plugin's group.
    expect(await waitFor(async () => (await groupProcesses(pgid)).length >= 3, 5_000)).toBe(true);
    intermediate.kill("SIGKILL");
    expect(await waitFor(async () => (await groupProcesses(pgid)).length === 0, 5_000)).toBe(true);
  });
});
