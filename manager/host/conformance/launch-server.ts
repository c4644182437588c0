// Starts a plugin under test as the host would (`server --config` without secrets, the secrets line on a
// stdin pipe that stays open) and waits until it answers health, so each check gets a fresh, known process.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import getPort from "get-port";
import {
  HEALTH_ROUTE,
  PLUGIN_EXIT,
  SECRETS_ON_STDIN,
  formatSecretsLine,
  readyLineSchema,
  type HostServerConfig,
} from "../../../core/index.js";
import { pollHealth } from "../process/poll-health.js";
import { releaseStreams, signalGroup, spawnGroupLeader } from "../process/process-group.js";
import { sendPluginRequest, type Endpoint } from "./plugin-http.js";

export interface LaunchOptions {
  path: string;
  transport: "unix" | "tcp";
  /** Private directory for the socket (unix). */
  socketDir: string;
  /** Go duration; "0" disables the idle timeout. */
  idleTimeout: string;
  startTimeoutMs: number;
}

/** A running plugin under test. */
export interface LaunchedServer {
  child: ChildProcess;
  endpoint: Endpoint;
  /** The `--config` it was given (no secret: that went on stdin). */
  config: HostServerConfig;
  secret: string;
  /** Whether the plugin printed a valid ready line on stdout. */
  readyLine: boolean;
  /** Resolves with the exit code (null when killed by a signal) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderrTail(): string;
}

/** The server config a host would put on the command line for this launch, and the secret for stdin. */
export async function serverConfigFor(
  options: LaunchOptions,
  id: string,
): Promise<{ config: HostServerConfig; secret: string; endpoint: Endpoint }> {
  const secret = randomBytes(32).toString("hex");
  if (options.transport === "unix") {
    const socketPath = join(options.socketDir, `${id}.sock`);
    return {
      config: {
        id,
        type: "unix",
        location: socketPath,
        idleTimeout: options.idleTimeout,
        secrets: SECRETS_ON_STDIN,
        parentPid: process.pid,
        logLevel: "warn",
      },
      secret,
      endpoint: { type: "unix", socketPath },
    };
  }
  const port = await getPort({ host: "127.0.0.1" });
  return {
    config: {
      id,
      type: "tcp",
      location: `127.0.0.1:${port}`,
      idleTimeout: options.idleTimeout,
      secrets: SECRETS_ON_STDIN,
      parentPid: process.pid,
      logLevel: "warn",
    },
    secret,
    endpoint: { type: "tcp", host: "127.0.0.1", port },
  };
}

/** Spawns the plugin and waits for a healthy answer; on failure kills it and throws with its stderr. */
export async function launchServer(options: LaunchOptions, id: string): Promise<LaunchedServer> {
  const { config, secret, endpoint } = await serverConfigFor(options, id);
  // A group leader as under the host, so a check's cleanup also ends whatever the plugin forked.
  const child = spawnGroupLeader(
    options.path,
    ["server", "--config", JSON.stringify(config)],
    { stdio: ["pipe", "pipe", "pipe"] },
    { record: { id, role: "verify", transport: config.type, location: config.location } },
  );
  child.stdin?.on("error", () => undefined);
  child.stdin?.write(formatSecretsLine({ secret }));
  let stderr = "";
  let stdout = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-4096)));
  child.stdout?.on("data", (chunk: Buffer) => (stdout = (stdout + chunk.toString("utf8")).slice(-4096)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("exit", (code, signal) => resolve({ code, signal }));
    child.on("error", () => resolve({ code: null, signal: null }));
  });
  let gone: { code: number | null } | undefined;
  void exited.then((result) => (gone = result));
  const healthy = await pollHealth({
    check: () =>
      sendPluginRequest(endpoint, { method: "GET", path: HEALTH_ROUTE, secret, timeoutMs: 1000 }).then(
        (answer) => answer.status === 200,
        () => false,
      ),
    timeoutMs: options.startTimeoutMs,
    pauseMs: 20,
    maxPauseMs: 250,
    settled: () => {
      if (!gone) return false;
      throw new Error(
        `server exited with ${gone.code ?? "a signal"} before it answered health${tail(stderr)}${
          gone.code === PLUGIN_EXIT.CONFIG ? SECRETS_HINT : ""
        }`,
      );
    },
    onWake: (wake) => {
      void exited.then(wake);
      return () => undefined;
    },
  });
  if (!healthy) {
    signalGroup(child, "SIGKILL");
    throw new Error(
      `server did not answer health on ${config.location} within ${options.startTimeoutMs} ms${tail(stderr)}`,
    );
  }
  // The ready line may trail the first health answer by a moment; give it a short while.
  for (let waited = 0; !stdout.includes("\n") && waited < 500; waited += 25) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const firstLine = stdout.split("\n")[0] ?? "";
  let readyLine = false;
  try {
    readyLine = readyLineSchema.safeParse(JSON.parse(firstLine)).success;
  } catch {
    readyLine = false;
  }
  return {
    child,
    endpoint,
    config,
    secret,
    readyLine,
    exited,
    stderrTail: () => stderr.trim(),
  };
}

/** Waits up to `ms` for the process to exit; undefined when it is still running. */
export async function exitWithin(
  server: Pick<LaunchedServer, "exited">,
  ms: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([server.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Kills a plugin under test and whatever it forked for good (cleanup after a check). */
export async function killServer(server: LaunchedServer): Promise<void> {
  signalGroup(server.child, "SIGKILL");
  await exitWithin(server, 2000);
  await releaseStreams(server.child, 500);
}

/** Why a plugin that rejects the host's config (exit 78) most likely does, and what to change. */
export const SECRETS_HINT =
  ". If it wants `secret` (or `config`) in --config: the host no longer puts them on the command line, " +
  'where every local user can read them; the config says "secrets":"stdin" and the first line on stdin ' +
  'is {"secret":"…","config":…}. Read that line before listening (docs/plugin-authors.md, "The secrets line")';

function tail(stderr: string): string {
  const text = stderr.trim();
  return text ? `; stderr: ${text.slice(-500)}` : "";
}
