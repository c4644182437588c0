// This process's runtime record, kept on disk while it has something to clean up: paths it created and
// plugin processes it runs, with their use (calls, last call, connection status), and plugins in a failed
// state. Written atomically (temp file, rename) and removed once empty; use counts are written at most once a
// second, never per call. The first use also reaps what dead hosts left behind (reap-dead-hosts.ts), so
// that costs one directory listing per run.
import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isOcmError, type OcmError } from "../../../core/index.js";
import {
  HOST_RECORD_VERSION,
  recordFileName,
  type HostRecord,
  type RecordedConnection,
  type RecordedPath,
  type RecordedPluginState,
  type RecordedProcess,
} from "./host-record.js";
import { startTimeOf } from "./proc-stat.js";
import { reapDeadHosts, type ReapResult } from "./reap-dead-hosts.js";
import { ensureRuntimeDir, runtimeDirFor } from "./runtime-dir.js";

const OWN_START = startTimeOf(process.pid) ?? null;
const STARTED_AT = new Date().toISOString();
/** How often use counts reach the disk at most: `ocm plugin status` is this far behind at worst. */
export const USE_WRITE_INTERVAL_MS = 1_000;

/** The record of this process; one per process, shared by every manager and verify run in it. */
export class HostState {
  readonly fileName = recordFileName(process.pid, OWN_START);
  #opened: Promise<{ dir?: string; reaped?: ReapResult; problem?: OcmError }> | undefined;
  #paths = new Map<string, RecordedPath>();
  #processes = new Map<number, RecordedProcess>();
  #plugins = new Map<string, RecordedPluginState>();
  /** When each plugin server was last called (ms since the epoch), by pid. */
  #lastCalls = new Map<number, number>();
  #useTimer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #queued = false;
  #onDisk = false;

  /**
   * Makes sure the runtime directory exists and is private, and reaps dead hosts, once per process.
   * Never rejects: an unusable directory is reported as `problem` and records are not kept.
   */
  open(): Promise<{ dir?: string; reaped?: ReapResult; problem?: OcmError }> {
    this.#opened ??= (async () => {
      try {
        const dir = await ensureRuntimeDir(runtimeDirFor());
        const reaped = await reapDeadHosts(dir, this.fileName);
        return { dir, reaped };
      } catch (error) {
        return isOcmError(error) ? { problem: error as OcmError } : {};
      }
    })();
    return this.#opened;
  }

  /** Records a path before it is created, so a kill between the two cannot leak it. */
  addPath(kind: RecordedPath["kind"], path: string): Promise<void> {
    this.#paths.set(path, { kind, path });
    return this.#save();
  }

  removePath(path: string): Promise<void> {
    this.#paths.delete(path);
    return this.#save();
  }

  addProcess(record: RecordedProcess): void {
    this.#processes.set(record.pid, record);
    void this.#save();
  }

  removeProcess(pid: number): void {
    this.#lastCalls.delete(pid);
    if (this.#processes.delete(pid)) void this.#save();
  }

  /** Counts a call to the plugin server `pid`; reaches the disk within USE_WRITE_INTERVAL_MS. */
  countCall(pid: number): void {
    const record = this.#processes.get(pid);
    if (!record) return;
    record.calls = (record.calls ?? 0) + 1;
    // A number per call; the ISO string is made when the record is written (a few µs less per call).
    this.#lastCalls.set(pid, Date.now());
    this.#saveSoon();
  }

  /** Notes what the plugin server `id` said about its connection. */
  noteConnection(id: string, connection: Omit<RecordedConnection, "at">): void {
    const record = [...this.#processes.values()].find((p) => p.id === id && p.role === "server");
    if (!record) return;
    record.connection = { ...connection, at: new Date().toISOString() };
    this.#saveSoon();
  }

  /** Records that plugin `id` is in a failed state (`config error`, `broken`), for `ocm plugin status`. */
  setPluginState(state: Omit<RecordedPluginState, "since">): void {
    this.#plugins.set(state.id, { ...state, since: new Date().toISOString() });
    void this.#save();
  }

  /** Resolves once every change so far is on disk. */
  flush(): Promise<void> {
    if (this.#useTimer) {
      clearTimeout(this.#useTimer);
      this.#useTimer = undefined;
      void this.#save();
    }
    return this.#writing;
  }

  /** One write for all use changes of the next interval. */
  #saveSoon(): void {
    this.#useTimer ??= setTimeout(() => {
      this.#useTimer = undefined;
      void this.#save();
    }, USE_WRITE_INTERVAL_MS).unref();
  }

  #save(): Promise<void> {
    // A write that has not started yet takes its snapshot when it starts, so it carries this change too.
    if (this.#queued) return this.#writing;
    this.#queued = true;
    this.#writing = this.#writing
      .then(async () => {
        this.#queued = false;
        await this.#write();
      })
      .catch(() => undefined);
    return this.#writing;
  }

  async #write(): Promise<void> {
    const { dir } = await this.open();
    if (!dir) return;
    const file = join(dir, this.fileName);
    if (this.#paths.size === 0 && this.#processes.size === 0 && this.#plugins.size === 0) {
      if (this.#onDisk) await rm(file, { force: true });
      this.#onDisk = false;
      return;
    }
    const record: HostRecord = {
      version: HOST_RECORD_VERSION,
      host: { pid: process.pid, startTime: OWN_START, startedAt: STARTED_AT, argv: process.argv.slice(1) },
      paths: [...this.#paths.values()],
      processes: [...this.#processes.values()].map((record) => {
        const last = this.#lastCalls.get(record.pid);
        return last === undefined ? record : { ...record, lastCallAt: new Date(last).toISOString() };
      }),
      ...(this.#plugins.size ? { plugins: [...this.#plugins.values()] } : {}),
    };
    const temp = join(dir, `.${this.fileName}.${randomBytes(4).toString("hex")}.tmp`);
    await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, file);
    this.#onDisk = true;
  }
}

let state: HostState | undefined;

/** This process's host state. */
export function hostState(): HostState {
  state ??= new HostState();
  return state;
}
