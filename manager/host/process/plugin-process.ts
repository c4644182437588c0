// One external plugin's process: started on first use (single-flight), checked for readiness, restarted
// after an idle exit or a crash, marked broken after repeated failures, and stopped with SIGTERM then
// SIGKILL. The state machine is written down in adr/0001-plugins.md.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { createInterface } from "node:readline";
import getPort from "get-port";
import type { Pool } from "undici";
import {
  OcmError,
  describeExitCode,
  formatSecretsLine,
  PLUGIN_EXIT,
  SECRETS_ON_STDIN,
  type HostServerConfig,
} from "../../../core/index.js";
import type { Logger } from "../log.js";
import { hostState } from "../runtime/host-state.js";
import { socketPathFor } from "../start/socket-dir.js";
import { childEnv, type EnvOverlay } from "./child-env.js";
import type { ExitInfo, PluginConnection } from "./connection.js";
import {
  endGroupRemains,
  releaseStreams,
  signalGroup,
  signalGroupOnExit,
  spawnGroupLeader,
} from "./process-group.js";
import { waitUntilHealthy } from "./wait-healthy.js";
import { relayStderr } from "./stderr-relay.js";

export type ProcessState = "stopped" | "starting" | "running" | "stopping" | "broken" | "config error";

export interface PluginProcessOptions {
  id: string;
  path: string;
  socketDir: string;
  transport: "auto" | "unix" | "tcp";
  /** Passed to the plugin; it exits by itself after this long without a request. */
  idleTimeoutMs: number;
  startTimeoutMs?: number;
  /**
   * Bound on each call (ms, default 60 s): until the answer starts, counted from the end of the request
   * (an upload's body is bounded by the plugin's reading: no progress for this long), and between two bytes
   * of an answer, so a blob streams as long as it moves.
   */
  callTimeoutMs?: number;
  /** Time between SIGTERM and SIGKILL on stop. */
  stopGraceMs?: number;
  logger: Logger;
  logLevel: string;
  pluginConfig?: unknown;
  /** Overlaid on the host's environment for the plugin (`childEnv`). */
  env?: EnvOverlay;
}

/** Bound on a call to a plugin when the configuration names none (`callTimeout`). */
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;

/** More than this many unexpected exits or failed starts within the window make a plugin broken. */
const MAX_FAILURES = 3;
const FAILURE_WINDOW_MS = 60_000;

interface Launch {
  child: ChildProcess;
  location: string;
  connection: PluginConnection;
  pool: Pool;
  socketPath?: string;
  exitRequested: boolean;
  /** Settles once the leader exited, what was left of its group is gone and its pipes are released. */
  groupEnded: Promise<void>;
}

export class PluginProcess {
  state: ProcessState = "stopped";
  pid: number | undefined;
  /** How many times the process was started successfully. */
  starts = 0;
  /** Socket path or `127.0.0.1:<port>` of the running process. */
  location: string | undefined;
  #current: Launch | undefined;
  #starting: Promise<PluginConnection> | undefined;
  #failures: number[] = [];
  #brokenError: OcmError | undefined;
  #launches = 0;
  #closed = false;
  readonly #options: PluginProcessOptions;
  readonly #log: Logger;

  constructor(options: PluginProcessOptions) {
    this.#options = options;
    this.#log = options.logger.child({ plugin: options.id });
  }

  /** Why the plugin is broken or in config error; undefined in other states. */
  get failure(): OcmError | undefined {
    return this.state === "broken" || this.state === "config error" ? this.#brokenError : undefined;
  }

  /**
   * A connection to a running process, starting one if needed. Concurrent callers share one start. Each is
   * one call, counted in the runtime record for `ocm plugin status`.
   */
  connect(): Promise<PluginConnection> {
    if (this.#closed) return Promise.reject(this.#stoppedError());
    if (this.failure) return Promise.reject(this.failure);
    if (this.state === "running" && this.#current) {
      hostState().countCall(this.pid as number);
      return Promise.resolve(this.#current.connection);
    }
    this.#starting ??= this.#start().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting.then((connection) => {
      if (this.pid !== undefined) hostState().countCall(this.pid);
      return connection;
    });
  }

  async #start(): Promise<PluginConnection> {
    this.state = "starting";
    try {
      let launch: Launch;
      try {
        launch = await this.#launch();
      } catch (error) {
        // A TCP port taken between picking it and binding it: try once more with a new port.
        if ((error as OcmError).details?.["exitCode"] !== PLUGIN_EXIT.LISTEN) throw error;
        launch = await this.#launch();
      }
      this.#current = launch;
      this.state = "running";
      this.pid = launch.child.pid;
      this.location = launch.location;
      this.starts++;
      this.#log.debug({ pid: this.pid, start: this.starts }, "plugin started");
      return launch.connection;
    } catch (error) {
      // An init that failed or a config the plugin refused (exit 75, 78) fails the same way on every start:
      // a recorded state, not a restart loop (seed 000: an Init error means the configuration is invalid).
      const exitCode = (error as OcmError).details?.["exitCode"];
      if (exitCode === PLUGIN_EXIT.INIT || exitCode === PLUGIN_EXIT.CONFIG)
        this.#failFor("config error", error as OcmError);
      else this.#recordFailure(error as OcmError);
      throw error;
    }
  }

  #failFor(state: "config error" | "broken", error: OcmError): void {
    this.state = state;
    this.#brokenError = error;
    hostState().setPluginState({ id: this.#options.id, state, message: error.message, code: error.code });
    this.#log.error({ code: error.code }, `plugin is now ${state}`);
  }

  async #launch(): Promise<Launch> {
    // undici is loaded with the first external plugin: runs that use built-in plugins only never load it.
    const { Pool } = await import("undici");
    const options = this.#options;
    const launchNo = ++this.#launches;
    const secret = randomBytes(32).toString("base64url");
    const socketPath =
      options.transport === "tcp" || process.platform === "win32"
        ? undefined
        : socketPathFor(options.socketDir, options.id, launchNo);
    if (options.transport === "unix" && !socketPath) {
      this.#log.debug({ socketDir: options.socketDir }, "socket path too long, using loopback TCP");
    }
    const port = socketPath ? undefined : await getPort({ host: "127.0.0.1" });
    // The command line is readable by every local user: the secret and the plugin's config go on stdin (#10).
    const config: HostServerConfig = {
      id: options.id,
      type: socketPath ? "unix" : "tcp",
      location: socketPath ?? `127.0.0.1:${port}`,
      idleTimeout: `${options.idleTimeoutMs}ms`,
      secrets: SECRETS_ON_STDIN,
      parentPid: process.pid,
      logLevel: options.logLevel as HostServerConfig["logLevel"],
    };
    // Its own process group: whatever the plugin forks is stopped with it (ADR 0001, "Process groups").
    const child = spawnGroupLeader(
      options.path,
      ["server", "--config", JSON.stringify(config)],
      { stdio: ["pipe", "pipe", "pipe"], env: childEnv(options.env) },
      {
        onHostExit: "SIGTERM",
        record: { id: options.id, role: "server", transport: config.type, location: config.location },
      },
    );
    const stderr = relayStderr(child.stderr as NonNullable<ChildProcess["stderr"]>, this.#log);
    const origin = socketPath ? "http://localhost" : `http://127.0.0.1:${port}`;
    const callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    // A connection is reused only when the plugin's answer allows it (HTTP/1.1 without `connection: close`);
    // an idle one is dropped after 2 s, before a plugin's own idle close may race a request (ADR 0001).
    const pool = new Pool(origin, {
      ...(socketPath ? { socketPath } : {}),
      connections: 128,
      headersTimeout: callTimeoutMs,
      bodyTimeout: callTimeoutMs,
      keepAliveTimeout: 2_000,
    });
    const launch: Launch = {
      child,
      location: config.location,
      pool,
      exitRequested: false,
      groupEnded: Promise.resolve(),
      ...(socketPath ? { socketPath } : {}),
      connection: undefined as unknown as PluginConnection,
    };
    const exited = new Promise<ExitInfo>((resolve) => {
      child.once("error", (error) => {
        if (child.pid === undefined) resolve({ code: null, signal: null, requested: false, error });
      });
      child.once("exit", (code, signal) => resolve({ code, signal, requested: launch.exitRequested }));
    });
    launch.connection = {
      pluginId: options.id,
      dispatcher: pool,
      origin,
      callTimeoutMs,
      authorization: `Bearer ${secret}`,
      exited,
      stderrTail: () => stderr.tail(),
    };
    // Write the secrets line once, then keep stdin open and never write again: the plugin exits when it
    // ends (host gone). Drain stdout forever.
    child.stdin?.on("error", () => undefined);
    child.stdin?.write(
      formatSecretsLine({
        secret,
        ...(options.pluginConfig === undefined ? {} : { config: options.pluginConfig }),
      }),
    );
    const stdoutLines = createInterface({ input: child.stdout as NonNullable<ChildProcess["stdout"]> });
    const readyHint = new EventTarget();
    stdoutLines.on("line", (line) => readyHint.dispatchEvent(new CustomEvent("line", { detail: line })));
    void exited.then((info) => this.#onExit(launch, info));
    // Whatever the plugin forked dies with it, and no pipe held by a leftover keeps the host waiting.
    launch.groupEnded = exited.then(async () => {
      await endGroupRemains(child, options.stopGraceMs ?? 3_000);
      await releaseStreams(child, 500);
    });

    const startTimeoutMs = options.startTimeoutMs ?? 10_000;
    try {
      await waitUntilHealthy({
        connection: launch.connection,
        readyHint,
        location: config.location,
        timeoutMs: startTimeoutMs,
      });
      return launch;
    } catch (error) {
      launch.exitRequested = true;
      signalGroup(child, "SIGKILL");
      const info = await Promise.race([exited, delay(2_000)]);
      throw this.#startError(error, info, stderr.tail(), startTimeoutMs);
    }
  }

  #startError(error: unknown, info: ExitInfo | undefined, tail: string, timeoutMs: number): OcmError {
    const { id, path } = this.#options;
    // Each stderr line is indented behind a bar, so a plugin cannot forge a `Code:` or `Try:` line (#10).
    const shownTail = tail
      ? `\n--- stderr (last lines) ---\n${tail
          .split("\n")
          .slice(-15)
          .map((line) => `  | ${line}`)
          .join("\n")}`
      : "";
    const spawnError = info?.error;
    if (spawnError) {
      return new OcmError({
        code: "OCM_PLUGIN_START_FAILED",
        message: `plugin ${id} (${path}) could not be started: ${spawnError.code ?? spawnError.message}`,
        hint: "Check that the file is executable and its interpreter line is right.",
        details: { plugin: id, path },
        cause: spawnError,
      });
    }
    if ((error as Error).name === "StartTimeout") {
      return new OcmError({
        code: "OCM_PLUGIN_START_TIMEOUT",
        message: `plugin ${id} (${path}) did not answer its health check within ${timeoutMs} ms${shownTail}`,
        hint: "Run the plugin's server command by hand to see why it does not listen, or raise startTimeout.",
        details: { plugin: id, path, timeoutMs, stderrTail: tail },
      });
    }
    return new OcmError({
      code: "OCM_PLUGIN_START_FAILED",
      message: `plugin ${id} (${path}) exited before it was ready: ${describeExitCode(info?.code)}${
        info?.code != null ? ` (exit code ${info.code})` : info?.signal ? ` (${info.signal})` : ""
      }${shownTail}`,
      hint: "Read the plugin's stderr above; run `<plugin> server --config '<json>'` by hand to reproduce.",
      details: {
        plugin: id,
        path,
        exitCode: info?.code ?? null,
        signal: info?.signal ?? null,
        stderrTail: tail,
      },
    });
  }

  #onExit(launch: Launch, info: ExitInfo): void {
    void launch.pool.destroy().catch(() => undefined);
    if (launch.socketPath) void rm(launch.socketPath, { force: true }).catch(() => undefined);
    if (this.#current !== launch) return;
    this.#current = undefined;
    this.pid = undefined;
    this.location = undefined;
    if (info.requested) return;
    if (info.code === 0) {
      this.#log.debug("plugin exited (idle timeout or shutdown); the next call starts it again");
      if (this.state === "running") this.state = "stopped";
      return;
    }
    const reason = info.code === null ? `killed by ${info.signal}` : `exit code ${info.code}`;
    this.#log.warn({ exitCode: info.code, signal: info.signal }, `plugin crashed (${reason})`);
    this.#recordFailure(
      new OcmError({
        code: "OCM_PLUGIN_CRASHED",
        message: `plugin ${this.#options.id} crashed (${reason})`,
        hint: "Read the plugin's log lines (--log-level debug).",
      }),
    );
  }

  #recordFailure(error: OcmError): void {
    const now = Date.now();
    this.#failures = [...this.#failures.filter((t) => now - t < FAILURE_WINDOW_MS), now];
    if (this.#failures.length > MAX_FAILURES) {
      this.#failFor(
        "broken",
        new OcmError({
          code: "OCM_PLUGIN_BROKEN",
          message: `plugin ${this.#options.id} failed ${this.#failures.length} times within a minute and is now broken; last failure: ${error.message}`,
          hint: "Fix the plugin (see `ocm plugin info` and --log-level debug); a new ocm run tries it again.",
          details: { plugin: this.#options.id, last: error.toJSON() },
        }),
      );
    } else if (this.state !== "stopping") {
      this.state = "stopped";
    }
  }

  #stoppedError(): OcmError {
    return new OcmError({
      code: "OCM_PLUGIN_STOPPED",
      message: `plugin ${this.#options.id} was stopped because its manager was closed`,
      hint: "Do not use a plugin manager after close().",
    });
  }

  /** Stops the process group: SIGTERM, then SIGKILL after the grace period. Later calls fail. */
  async stop(): Promise<void> {
    this.#closed = true;
    await this.#starting?.catch(() => undefined);
    const launch = this.#current;
    if (!launch) return;
    this.state = "stopping";
    launch.exitRequested = true;
    // Calls still in flight (an interrupted command) are aborted first: the plugin sees its connections
    // close, then SIGTERM.
    await launch.pool.destroy().catch(() => undefined);
    launch.child.stdin?.end();
    signalGroup(launch.child, "SIGTERM");
    const grace = this.#options.stopGraceMs ?? 3_000;
    const info = await Promise.race([launch.connection.exited, delay(grace)]);
    if (!info) {
      this.#log.warn({ graceMs: grace }, "plugin ignored SIGTERM; sending SIGKILL to its process group");
      signalGroup(launch.child, "SIGKILL");
      await launch.connection.exited;
    }
    await launch.groupEnded;
    this.state = "stopped";
  }

  /** Synchronous best effort for `process.on("exit")`: SIGTERM to the group without waiting. */
  killSync(): void {
    const launch = this.#current;
    if (!launch) return;
    launch.exitRequested = true;
    signalGroupOnExit(launch.child, "SIGTERM");
  }
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}
