// Every plugin server this user's ocm processes run, and the plugins they found in a failed state, read from
// the runtime records (runtime/host-record.ts). Records of dead hosts are reaped first (the same reaper every
// run uses), and a live host's entry for a process that is gone is left out: what is shown runs.
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { OcmError } from "../../../core/index.js";
import {
  parseRecordFileName,
  type HostRecord,
  type RecordedConnection,
  type RecordedPluginState,
} from "../runtime/host-record.js";
import { hostState } from "../runtime/host-state.js";
import { isProcessAlive } from "../runtime/proc-stat.js";

/** One running plugin server. */
export interface PluginInstance {
  pid: number;
  plugin: string;
  transport?: "unix" | "tcp";
  /** Socket path or `127.0.0.1:<port>`. */
  location?: string;
  /** ISO 8601. */
  startedAt: string;
  /** Calls its host sent it so far (a second or so behind). */
  calls: number;
  /** ISO 8601 of the last call, if there was one. */
  lastCallAt?: string;
  /** Milliseconds since the last call, or since the start when there was none. */
  idleMs: number;
  /** The ocm process (host) that started it and talks to it. */
  owner: { pid: number; argv: string[] };
  connection: Omit<RecordedConnection, "at"> & { at?: string };
}

/** A plugin a running host found in a failed state. */
export interface FailedPluginRecord extends RecordedPluginState {
  owner: { pid: number; argv: string[] };
}

export interface RecordedInstances {
  instances: PluginInstance[];
  failed: FailedPluginRecord[];
  /** Set when the runtime directory cannot be used; nothing is then known about other processes. */
  problem?: OcmError;
}

/** Reads the runtime records of every live ocm process of this user; `now` for idle times (ms since epoch). */
export async function readInstances(now = Date.now()): Promise<RecordedInstances> {
  const state = hostState();
  // Our own record is read from disk like the others: what is pending is written first.
  await state.flush();
  const { dir, problem } = await state.open();
  if (!dir) return { instances: [], failed: [], ...(problem ? { problem } : {}) };
  const instances: PluginInstance[] = [];
  const failed: FailedPluginRecord[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const host = parseRecordFileName(name);
    if (!host || !isProcessAlive(host.pid, host.startTime)) continue;
    const record = await readRecord(join(dir, name));
    if (!record) continue;
    const owner = { pid: record.host.pid, argv: record.host.argv };
    for (const proc of record.processes ?? []) {
      if (proc.role !== "server" || !isProcessAlive(proc.pid, proc.startTime)) continue;
      const last = proc.lastCallAt ?? proc.startedAt;
      instances.push({
        pid: proc.pid,
        plugin: proc.id,
        ...(proc.transport ? { transport: proc.transport } : {}),
        ...(proc.location ? { location: proc.location } : {}),
        startedAt: proc.startedAt,
        calls: proc.calls ?? 0,
        ...(proc.lastCallAt ? { lastCallAt: proc.lastCallAt } : {}),
        idleMs: Math.max(0, now - Date.parse(last)),
        owner,
        connection: proc.connection ?? { status: "unknown" },
      });
    }
    for (const plugin of record.plugins ?? []) failed.push({ ...plugin, owner });
  }
  instances.sort((a, b) => a.plugin.localeCompare(b.plugin) || a.pid - b.pid);
  return { instances, failed };
}

/** A record, or undefined when it vanished (its host ended) or is not one. */
async function readRecord(file: string): Promise<HostRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(file, "utf8")) as HostRecord;
    return typeof record?.host?.pid === "number" && Array.isArray(record.processes) ? record : undefined;
  } catch {
    return undefined;
  }
}
