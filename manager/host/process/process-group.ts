// Plugins run as process-group leaders (ADR 0001, "Process groups"): a plugin may fork (a shell wrapper
// without `exec`, a venv launcher, a worker), and everything it forked is signalled and stopped with it.
// `detached: true` makes the child call setsid(2), so its pid is its group id; `kill(-pgid)` reaches the group.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { basename } from "node:path";
import type { Readable } from "node:stream";
import type { RecordedProcess } from "../runtime/host-record.js";
import { hostState } from "../runtime/host-state.js";
import { HAS_GROUPS, groupMembers, killGroup, startTimeOf } from "../runtime/proc-stat.js";

const GROUPS = HAS_GROUPS;
const POLL_MS = 25;
/** How long to watch for the rest of a group to go after its leader exited. */
const FORGET_AFTER_MS = 5_000;

/**
 * Groups spawned by this process that may still run, with the signal each gets when the host exits:
 * `detached` children no longer get a terminal's Ctrl-C, so the host must end them itself.
 */
const liveGroups = new Map<number, NodeJS.Signals>();
let exitHookInstalled = false;

export interface GroupOptions {
  /**
   * Signal for the group on the host's `exit`: SIGTERM for servers (they remove their socket and stop),
   * SIGKILL (the default) for short runs such as `capabilities`.
   */
  onHostExit?: NodeJS.Signals;
  /** What the runtime record says about it; pid, group and times are filled in. */
  record?: Pick<RecordedProcess, "id" | "role" | "transport" | "location">;
}

/** Spawns `path` as the leader of a new process group (and session), so the whole group can be stopped. */
export function spawnGroupLeader(
  path: string,
  args: string[],
  options: SpawnOptions,
  group: GroupOptions = {},
): ChildProcess {
  const child = spawn(path, args, { ...options, detached: GROUPS });
  const pid = child.pid;
  if (pid === undefined) return child;
  if (GROUPS) {
    liveGroups.set(pid, group.onHostExit ?? "SIGKILL");
    installExitHook();
  }
  hostState().addProcess({
    id: group.record?.id ?? basename(path),
    role: group.record?.role ?? "command",
    executable: path,
    pid,
    pgid: GROUPS ? pid : null,
    startTime: startTimeOf(pid) ?? null,
    ...(group.record?.transport ? { transport: group.record.transport } : {}),
    ...(group.record?.location ? { location: group.record.location } : {}),
    startedAt: new Date().toISOString(),
  });
  // The leader's exit does not end the group: it is forgotten once nothing of it runs any more.
  child.once("exit", () => void forgetWhenGone(pid));
  return child;
}

/** Sends `signal` to the child's whole group (or the child alone where there are no groups). */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!GROUPS || child.pid === undefined) {
    child.kill(signal);
    return;
  }
  killGroup(child.pid, signal);
}

/** Resolves once no process of the group runs any more, or false after `timeoutMs`. */
export async function whenGroupGone(pgid: number, timeoutMs = 2_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupMembers(pgid).length > 0) {
    if (Date.now() >= deadline) return false;
    await delay(POLL_MS);
  }
  return true;
}

/**
 * Ends what is left of a group whose leader has exited: SIGTERM, up to `graceMs` for it to go, then
 * SIGKILL. Resolves at once when nothing is left.
 */
export async function endGroupRemains(child: ChildProcess, graceMs: number): Promise<void> {
  const pgid = child.pid;
  if (!GROUPS || pgid === undefined) return;
  if (groupMembers(pgid).length > 0) {
    killGroup(pgid, "SIGTERM");
    if (!(await whenGroupGone(pgid, graceMs))) {
      killGroup(pgid, "SIGKILL");
      await whenGroupGone(pgid, 1_000);
    }
  }
  forget(pgid);
}

/**
 * After the leader exited, its stdout and stderr may still be held by processes we just killed (or could
 * not): give them `graceMs` to end, then destroy them so the host never waits on someone else's pipe.
 */
export async function releaseStreams(child: ChildProcess, graceMs: number): Promise<void> {
  const streams = [child.stdout, child.stderr].filter((s): s is Readable => s != null);
  // The grace timer is cleared once the streams end: left pending, it kept every command that had started a
  // plugin alive for its full length after the plugin was gone (half a second at each exit, #15).
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  await Promise.race([Promise.all(streams.map((s) => ended(s))), grace]);
  clearTimeout(timer);
  for (const stream of streams) if (!stream.destroyed) stream.destroy();
}

/**
 * For the host's own exit hooks: signals the group and takes it off the `exit` hook's list, so it does
 * not get the signal twice (a second SIGTERM makes an SDK plugin cut its graceful stop short).
 */
export function signalGroupOnExit(child: ChildProcess, signal: NodeJS.Signals): void {
  // Not on the list any more: already gone, or already signalled by the `exit` hook.
  if (GROUPS && child.pid !== undefined && !liveGroups.has(child.pid)) return;
  signalGroup(child, signal);
  if (child.pid !== undefined) liveGroups.delete(child.pid);
}

/** Synchronous last resort for the host's `exit`: signal every group it spawned that may still run. */
export function killLiveGroupsSync(): void {
  for (const [pgid, signal] of liveGroups) killGroup(pgid, signal);
  liveGroups.clear();
}

/** Forgets a group once nothing of it runs; one that outlives the wait stays for the exit hook and reaper. */
async function forgetWhenGone(pid: number): Promise<void> {
  const deadline = Date.now() + FORGET_AFTER_MS;
  while (GROUPS && groupMembers(pid).length > 0) {
    if (Date.now() >= deadline) return;
    // Unref'd: a leftover nobody ends must not keep the host alive just to update a record.
    await new Promise((resolve) => setTimeout(resolve, 100).unref());
  }
  forget(pid);
}

function forget(pid: number): void {
  liveGroups.delete(pid);
  hostState().removeProcess(pid);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", killLiveGroupsSync);
}

function ended(stream: Readable): Promise<void> {
  if (stream.destroyed || stream.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once("close", resolve);
    stream.once("end", resolve);
  });
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms));
}
