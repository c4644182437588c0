// Cleans up after ocm processes that died without doing so themselves (SIGKILL, OOM, power loss): for each
// record whose host no longer runs, kill the plugin groups still alive, remove its socket and temp
// directories, and drop the record. Costs one directory listing and a /proc read per record; no spawns.
import { readFile, readdir, rm } from "node:fs/promises";
import { basename, isAbsolute, join } from "node:path";
import { parseRecordFileName, type HostRecord, type RecordedProcess } from "./host-record.js";
import { HAS_GROUPS, groupMembers, isProcessAlive, killGroup, readStat } from "./proc-stat.js";

export interface ReapResult {
  /** Records of dead hosts that were cleaned up. */
  hosts: number;
  /** Plugin process groups that were still running and got SIGKILL. */
  killed: number;
  removedPaths: string[];
}

/** Reaps every record in `dir` but `ownFile` whose host is gone. Never throws for one bad record. */
export async function reapDeadHosts(dir: string, ownFile: string): Promise<ReapResult> {
  const result: ReapResult = { hosts: 0, killed: 0, removedPaths: [] };
  for (const name of await readdir(dir)) {
    if (name === ownFile) continue;
    // Half-written records (`.host-….json.<random>.tmp`) of dead hosts go too.
    const host = parseRecordFileName(
      name.startsWith(".") ? name.slice(1).replace(/\.[0-9a-f]+\.tmp$/, "") : name,
    );
    if (!host || isProcessAlive(host.pid, host.startTime)) continue;
    if (!name.startsWith(".")) await reapRecord(join(dir, name), result).catch(() => undefined);
    await rm(join(dir, name), { force: true });
  }
  return result;
}

async function reapRecord(file: string, result: ReapResult): Promise<void> {
  const record = JSON.parse(await readFile(file, "utf8")) as Partial<HostRecord>;
  for (const proc of record.processes ?? []) {
    if (killOrphanGroup(proc)) result.killed++;
  }
  for (const { path } of record.paths ?? []) {
    // Only what an ocm process creates: absolute paths named `ocm-…`.
    if (typeof path !== "string" || !isAbsolute(path) || !basename(path).startsWith("ocm-")) continue;
    await rm(path, { recursive: true, force: true });
    result.removedPaths.push(path);
  }
  result.hosts++;
}

/**
 * SIGKILLs the group of a dead host's plugin. The leader still running with its recorded start time is
 * ours; a leader gone while its group still has members means orphans of ours (a pid is not handed out
 * again while a group of that id exists). A leader pid now held by another process is left alone.
 */
function killOrphanGroup(proc: RecordedProcess): boolean {
  if (!HAS_GROUPS || typeof proc.pgid !== "number" || proc.pgid <= 1) return false;
  const leader = readStat(proc.pid);
  const leaderRuns = leader !== undefined && leader[0] !== "Z";
  if (leaderRuns && !isProcessAlive(proc.pid, proc.startTime)) return false;
  if (!leaderRuns && groupMembers(proc.pgid).length === 0) return false;
  return killGroup(proc.pgid, "SIGKILL");
}
