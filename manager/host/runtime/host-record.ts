// The shape of a host's runtime record: one JSON file per ocm process in the runtime directory, naming the
// process (pid and start time), the paths it created and every plugin process it runs, so that a later run
// can clean up after it when it was killed, and `ocm plugin status` can list this user's running plugins.

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
