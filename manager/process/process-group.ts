// Plugins run as process-group leaders (ADR 0001, "Process groups"): a plugin may fork (a shell wrapper
// without `exec`, a venv launcher, a worker), and everything it forked is signalled and stopped with it.
// `detached: true` makes the child call setsid(2), so its pid is its group id; `kill(-pgid)` reaches the group.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import type { Readable } from "node:stream";

/** Windows has no process groups to signal; there the child itself is signalled. */
const GROUPS = process.platform !== "win32";
const POLL_MS = 25;

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
}

/** Spawns `path` as the leader of a new process group (and session), so the whole group can be stopped. */
export function spawnGroupLeader(
  path: string,
  args: string[],
  options: SpawnOptions,
  group: GroupOptions = {},
): ChildProcess {
  const child = spawn(path, args, { ...options, detached: GROUPS });
  const pgid = child.pid;
  if (GROUPS && pgid !== undefined) {
    liveGroups.set(pgid, group.onHostExit ?? "SIGKILL");
    installExitHook();
    // The leader's exit does not end the group: endGroupRemains forgets it once the rest is gone.
    child.once("exit", () => {
      if (groupMembers(pgid).length === 0) liveGroups.delete(pgid);
    });
  }
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

/** `kill(-pgid, signal)`; false when no process of the group is left (or none may be signalled). */
export function killGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Pids of the group's processes that still run. Zombies do not count: an orphan's zombie stays until
 * init reaps it, and some container inits never do. Without /proc, any process of the group counts.
 */
export function groupMembers(pgid: number): number[] {
  if (!GROUPS) return [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return killGroup(pgid, 0) ? [pgid] : [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (entry.charCodeAt(0) > 57) continue;
    const stat = readStat(entry);
    // Fields after the command: state (3), ppid (4), pgrp (5).
    if (stat && stat[0] !== "Z" && Number(stat[2]) === pgid) members.push(Number(entry));
  }
  return members;
}

/** The fields of /proc/<pid>/stat after the command name (field 3 onwards), or undefined. */
export function readStat(pid: number | string): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
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
  liveGroups.delete(pgid);
}

/**
 * After the leader exited, its stdout and stderr may still be held by processes we just killed (or could
 * not): give them `graceMs` to end, then destroy them so the host never waits on someone else's pipe.
 */
export async function releaseStreams(child: ChildProcess, graceMs: number): Promise<void> {
  const streams = [child.stdout, child.stderr].filter((s): s is Readable => s != null);
  await Promise.race([Promise.all(streams.map((s) => ended(s))), delay(graceMs)]);
  for (const stream of streams) if (!stream.destroyed) stream.destroy();
}

/** Synchronous last resort for the host's `exit`: signal every group it spawned that may still run. */
export function killLiveGroupsSync(): void {
  for (const [pgid, signal] of liveGroups) killGroup(pgid, signal);
  liveGroups.clear();
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
