// This process's runtime record, kept on disk while it has something to clean up: paths it created and
// plugin processes it runs. Written atomically (temp file, rename) and removed once empty. The first use
// also reaps what dead hosts left behind (reap-dead-hosts.ts), so that costs one directory listing per run.
import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isOcmError, type OcmError } from "../../../core/index.js";
import {
  HOST_RECORD_VERSION,
  recordFileName,
  type HostRecord,
  type RecordedPath,
  type RecordedProcess,
} from "./host-record.js";
import { startTimeOf } from "./proc-stat.js";
import { reapDeadHosts, type ReapResult } from "./reap-dead-hosts.js";
import { ensureRuntimeDir, runtimeDirFor } from "./runtime-dir.js";

const OWN_START = startTimeOf(process.pid) ?? null;
const STARTED_AT = new Date().toISOString();

/** The record of this process; one per process, shared by every manager and verify run in it. */
export class HostState {
  readonly fileName = recordFileName(process.pid, OWN_START);
  #opened: Promise<{ dir?: string; reaped?: ReapResult; problem?: OcmError }> | undefined;
  #paths = new Map<string, RecordedPath>();
  #processes = new Map<number, RecordedProcess>();
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
    if (this.#processes.delete(pid)) void this.#save();
  }

  /** Resolves once every change so far is on disk. */
  flush(): Promise<void> {
    return this.#writing;
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
    if (this.#paths.size === 0 && this.#processes.size === 0) {
      if (this.#onDisk) await rm(file, { force: true });
      this.#onDisk = false;
      return;
    }
    const record: HostRecord = {
      version: HOST_RECORD_VERSION,
      host: { pid: process.pid, startTime: OWN_START, startedAt: STARTED_AT, argv: process.argv.slice(1) },
      paths: [...this.#paths.values()],
      processes: [...this.#processes.values()],
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
