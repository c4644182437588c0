// What the host asks the OS about processes, cheaply and without spawning: a process's start time (to
// tell it from a later process with the same pid) and the running members of a process group.
import { readFileSync, readdirSync } from "node:fs";

/** Windows has no process groups to signal. */
export const HAS_GROUPS = process.platform !== "win32";

/** The fields of /proc/<pid>/stat from field 3 (state) on, or undefined (no such process, or no /proc). */
export function readStat(pid: number | string): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** Whether /proc can answer for this platform (Linux). */
export const HAS_PROC = readStat("self") !== undefined;

/**
 * When `pid` started, in clock ticks since boot (/proc/<pid>/stat field 22): with the pid, it names one
 * process for good, since a reused pid has a later start time. Null without /proc; undefined when gone.
 */
export function startTimeOf(pid: number): string | null | undefined {
  if (!HAS_PROC) return null;
  return readStat(pid)?.[19];
}

/**
 * Whether the process `pid` that started at `startTime` still runs. A zombie counts as gone; a different
 * start time means the pid was reused. Without /proc only the pid is checked (a reuse then looks alive,
 * which errs on the safe side).
 */
export function isProcessAlive(pid: number, startTime: string | null): boolean {
  if (HAS_PROC) {
    const stat = readStat(pid);
    return stat !== undefined && stat[0] !== "Z" && (startTime === null || stat[19] === startTime);
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** `kill(-pgid, signal)`; false when no process of the group is left (or none may be signalled). */
export function killGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  if (!HAS_GROUPS) return false;
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
  if (!HAS_GROUPS) return [];
  if (!HAS_PROC) return killGroup(pgid, 0) ? [pgid] : [];
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (entry.charCodeAt(0) > 57) continue;
    const stat = readStat(entry);
    // Fields from 3 on: state (3), ppid (4), pgrp (5).
    if (stat && stat[0] !== "Z" && Number(stat[2]) === pgid) members.push(Number(entry));
  }
  return members;
}
