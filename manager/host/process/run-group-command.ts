// Runs a short plugin command (`capabilities`) to its end as a process-group leader: the bound kills the
// whole group, and once the leader exits whatever it left behind is killed and its pipes are let go, so a
// background child that keeps stdout open cannot hold discovery for its own lifetime.
import type { ChildProcess } from "node:child_process";
import { childEnv, type EnvOverlay } from "./child-env.js";
import { endGroupRemains, releaseStreams, signalGroup, spawnGroupLeader } from "./process-group.js";

export interface GroupCommandOptions {
  timeoutMs: number;
  /** Time between SIGTERM and SIGKILL when the bound is hit, and for leftovers after the leader exited. */
  killAfterMs: number;
  /** Bound on stdout and on stderr (bytes); more fails the run. */
  maxBuffer: number;
  /** Overlaid on the host's environment (`childEnv`). */
  env?: EnvOverlay;
}

/** The outcome, shaped like execa's result for the fields callers read. */
export interface GroupCommandResult {
  /** Undefined when the process was killed by a signal or never started. */
  exitCode: number | undefined;
  signal: NodeJS.Signals | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  failed: boolean;
  shortMessage: string;
  /** Why it failed without an exit code: the spawn error (ENOENT, EACCES) or the output bound. */
  cause?: NodeJS.ErrnoException | Error;
}

/** How long stdout/stderr may stay open after leftovers that ignored SIGTERM were sent SIGKILL. */
const STREAM_GRACE_MS = 500;

/** Runs `path args` with stdin ignored and collects its output; never rejects. */
export function runGroupCommand(
  path: string,
  args: string[],
  options: GroupCommandOptions,
): Promise<GroupCommandResult> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawnGroupLeader(path, args, {
        stdio: ["ignore", "pipe", "pipe"],
        env: childEnv(options.env),
      });
    } catch (error) {
      resolve(failure(error as Error, "", ""));
      return;
    }
    const out = collect(child.stdout, options.maxBuffer, () => overflow("stdout"));
    const err = collect(child.stderr, options.maxBuffer, () => overflow("stderr"));
    let timedOut = false;
    let cause: Error | undefined;
    let forceKill: NodeJS.Timeout | undefined;
    const stop = () => {
      signalGroup(child, "SIGTERM");
      forceKill = setTimeout(() => signalGroup(child, "SIGKILL"), options.killAfterMs);
    };
    const overflow = (name: string) => {
      if (cause) return;
      cause = new Error(`${name} exceeded ${options.maxBuffer} bytes`);
      stop();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);

    child.once("error", (error) => {
      if (child.pid !== undefined) return;
      clearTimeout(timer);
      resolve(failure(error, out.text(), err.text()));
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      clearTimeout(forceKill);
      void (async () => {
        // Leftovers get SIGTERM at once (SIGKILL after killAfterMs), which closes the pipes they hold;
        // the pipes are cut after that even if something outside the group still holds them.
        void endGroupRemains(child, options.killAfterMs);
        await releaseStreams(child, options.killAfterMs + STREAM_GRACE_MS);
        const exitCode = code ?? undefined;
        resolve({
          exitCode,
          signal: signal ?? undefined,
          stdout: out.text(),
          stderr: err.text(),
          timedOut,
          failed: timedOut || cause !== undefined || exitCode !== 0,
          shortMessage: timedOut
            ? `timed out after ${options.timeoutMs} ms`
            : cause
              ? cause.message
              : `exited with ${exitCode ?? signal}`,
          ...(cause ? { cause } : {}),
        });
      })();
    });
  });
}

function failure(error: Error, stdout: string, stderr: string): GroupCommandResult {
  return {
    exitCode: undefined,
    signal: undefined,
    stdout,
    stderr,
    timedOut: false,
    failed: true,
    shortMessage: error.message,
    cause: error,
  };
}

function collect(
  stream: NodeJS.ReadableStream | null,
  max: number,
  onOverflow: () => void,
): { text(): string } {
  const chunks: Buffer[] = [];
  let size = 0;
  stream?.on("data", (chunk: Buffer) => {
    if (size + chunk.length > max) {
      onOverflow();
      return;
    }
    size += chunk.length;
    chunks.push(chunk);
  });
  stream?.on("error", () => undefined);
  return { text: () => Buffer.concat(chunks).toString("utf8") };
}
