// Lifecycle checks from ADR 0001: exit on idle, a clean exit on SIGTERM that removes the socket, and an
// exit when the parent dies (the host killed with SIGKILL cannot clean up, so the plugin must notice).
import { existsSync, readFileSync } from "node:fs";
import { HEALTH_ROUTE, formatSecretsLine } from "../../../core/index.js";
import {
  exitWithin,
  killServer,
  launchServer,
  serverConfigFor,
  type LaunchOptions,
} from "./launch-server.js";
import { pollHealth } from "../process/poll-health.js";
import { signalGroup, spawnGroupLeader } from "../process/process-group.js";
import { sendPluginRequest } from "./plugin-http.js";

/** How long a plugin may take beyond its idle timeout, after SIGTERM and after its parent died. */
const GRACE_MS = 5000;

/** Starts with a 1 s idle timeout, sends nothing more and expects exit code 0 soon after. */
export async function checkIdleExit(options: LaunchOptions): Promise<string> {
  const server = await launchServer({ ...options, transport: "unix", idleTimeout: "1s" }, "verify-idle");
  try {
    const started = Date.now();
    const exit = await exitWithin(server, 1000 + GRACE_MS);
    if (!exit)
      throw new Error(`still running ${1000 + GRACE_MS} ms after its last request with idleTimeout "1s"`);
    if (exit.code !== 0) throw new Error(`exited on idle with ${exit.code ?? exit.signal}, expected 0`);
    return `exited with 0 after ${Date.now() - started} ms idle (idleTimeout 1s)`;
  } finally {
    await killServer(server);
  }
}

/** Sends SIGTERM and expects exit code 0 with the socket file gone. */
export async function checkSigterm(options: LaunchOptions): Promise<string> {
  const server = await launchServer({ ...options, transport: "unix", idleTimeout: "5m" }, "verify-sigterm");
  try {
    // To the whole group, as the host sends it: a wrapper without `exec` passes it on or dies with it.
    signalGroup(server.child, "SIGTERM");
    const exit = await exitWithin(server, GRACE_MS);
    if (!exit) throw new Error(`still running ${GRACE_MS} ms after SIGTERM`);
    if (exit.code !== 0) throw new Error(`exited on SIGTERM with ${exit.code ?? exit.signal}, expected 0`);
    if (server.endpoint.type === "unix" && existsSync(server.endpoint.socketPath)) {
      throw new Error(`exited with 0 but left its socket ${server.endpoint.socketPath} behind`);
    }
    return "exited with 0 and removed its socket";
  } finally {
    await killServer(server);
  }
}

/** True while `pid` runs; a zombie (exited, not yet reaped by init) counts as gone. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

// The intermediate parent: spawns the plugin with a stdin pipe and parentPid set to itself, passes on the
// secrets line it is given on its own stdin (never argv), prints the plugin's pid, then waits to be killed.
const INTERMEDIATE = `
const { spawn } = require("node:child_process");
const [path, raw] = process.argv.slice(1);
const config = { ...JSON.parse(raw), parentPid: process.pid };
const child = spawn(path, ["server", "--config", JSON.stringify(config)], { stdio: ["pipe", "ignore", "ignore"] });
child.stdin.on("error", () => {});
process.stdin.pipe(child.stdin);
child.on("error", (e) => { console.error(e.message); process.exit(1); });
process.stdout.write(child.pid + "\\n");
setInterval(() => {}, 1 << 30);
`;

/** Starts the plugin from an intermediate process, SIGKILLs that one and expects the plugin to follow. */
export async function checkParentDeath(options: LaunchOptions): Promise<string> {
  const { config, secret, endpoint } = await serverConfigFor(
    { ...options, transport: "unix", idleTimeout: "5m" },
    "verify-parent",
  );
  // The intermediate leads a group the plugin joins, so the cleanup below reaches everything it forked.
  const parent = spawnGroupLeader(
    process.execPath,
    ["-e", INTERMEDIATE, options.path, JSON.stringify(config)],
    { stdio: ["pipe", "pipe", "ignore"] },
    { record: { id: "verify-parent", role: "verify", transport: "unix", location: config.location } },
  );
  parent.stdin?.on("error", () => undefined);
  parent.stdin?.write(formatSecretsLine({ secret }));
  let pid: number | undefined;
  try {
    pid = await new Promise<number>((resolve, reject) => {
      let text = "";
      parent.stdout?.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
        const line = text.split("\n")[0];
        if (text.includes("\n") && line) resolve(Number(line));
      });
      parent.on("exit", () => reject(new Error("the intermediate parent exited before starting the plugin")));
    });
    const healthy = await pollHealth({
      check: () =>
        sendPluginRequest(endpoint, { method: "GET", path: HEALTH_ROUTE, secret, timeoutMs: 1000 }).then(
          (answer) => answer.status === 200,
          () => false,
        ),
      timeoutMs: options.startTimeoutMs,
      pauseMs: 50,
      maxPauseMs: 50,
    });
    if (!healthy) throw new Error(`server under the intermediate parent never answered health`);
    parent.kill("SIGKILL");
    const killed = Date.now();
    while (isRunning(pid)) {
      if (Date.now() - killed > GRACE_MS)
        throw new Error(`still running ${GRACE_MS} ms after its parent was killed`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return `exited ${Date.now() - killed} ms after its parent was killed`;
  } finally {
    signalGroup(parent, "SIGKILL");
  }
}
