// The shape of a host's runtime record: one JSON file per ocm process in the runtime directory, naming the
// process (pid and start time), the paths it created and every plugin process it runs, so that a later run
// can clean up after it when it was killed, and `ocm plugin status` can list this user's running plugins,
// how much each was used, and the plugins a host found in a failed state.

export const HOST_RECORD_VERSION = 1;

/** A plugin process (group) a host started. */
export interface RecordedProcess {
  /** Plugin id, or the executable's file name for a `capabilities` run. */
  id: string;
  /** A plugin server, a short command (`capabilities`), or a process started by `ocm plugin verify`. */
  role: "server" | "command" | "verify";
  executable: string;
  pid: number;
  /** The process group it leads (its pid), or null where there are no groups. */
  pgid: number | null;
  /** /proc/<pid>/stat field 22, to tell it from a later process with the same pid; null without /proc. */
  startTime: string | null;
  transport?: "unix" | "tcp";
  /** Socket path or `127.0.0.1:<port>`. */
  location?: string;
  /** ISO 8601. */
  startedAt: string;
  /** Calls this host sent to the plugin server so far; written at a bounded rate, so a second or so behind. */
  calls?: number;
  /** ISO 8601 of the last call's start. */
  lastCallAt?: string;
  /** The plugin's connection status as it last told this host (its status route or a test-connection). */
  connection?: RecordedConnection;
}

/** Seed 000's connection status as a host last learned it. */
export interface RecordedConnection {
  status: "connected" | "disconnected" | "unknown";
  message?: string;
  /** ISO 8601 of when the host learned it. */
  at: string;
}

/** A plugin this host cannot use: its configuration or init failed (`config error`), or it crashed too often. */
export interface RecordedPluginState {
  id: string;
  state: "config error" | "broken";
  message: string;
  code?: string;
  /** ISO 8601. */
  since: string;
}

/** A file-system path a host created and removes when it ends. */
export interface RecordedPath {
  kind: "socketDir" | "tempDir";
  path: string;
}

export interface HostRecord {
  version: typeof HOST_RECORD_VERSION;
  host: { pid: number; startTime: string | null; startedAt: string; argv: string[] };
  paths: RecordedPath[];
  processes: RecordedProcess[];
  /** Plugins in a failed state; absent when there are none. */
  plugins?: RecordedPluginState[];
}

const NAME = /^host-(\d+)-(\d+|na)\.json$/;

/** `host-<pid>-<start time>.json`: unique even when a later process gets the same pid. */
export function recordFileName(pid: number, startTime: string | null): string {
  return `host-${pid}-${startTime ?? "na"}.json`;
}

/** The host a record file belongs to, from its name; undefined for other files. */
export function parseRecordFileName(name: string): { pid: number; startTime: string | null } | undefined {
  const match = NAME.exec(name);
  if (!match) return undefined;
  return { pid: Number(match[1]), startTime: match[2] === "na" ? null : (match[2] as string) };
}
