// Who owns a lock, temp file or temp dir: the pid plus the process start time (Linux /proc/<pid>/stat field
// 22, in clock ticks since boot), so a pid reused by another process after the owner died is not mistaken
// for the owner. Names carry the owner as `<pid>-<start>` so leftovers of dead writers can be reaped.
import { readFileSync } from "node:fs";

/** The start time of process `pid` ("0" where /proc is not available); undefined when it does not run. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19] ?? "0";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ESRCH") return isRunning(pid) ? "0" : undefined;
    return "0";
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True while the process that wrote `pid` (and `start`, when recorded) still runs. */
export function isOwnerAlive(pid: number, start?: string): boolean {
  if (!isRunning(pid)) return false;
  if (start === undefined || start === "0") return true;
  const now = processStartTime(pid);
  return now === undefined ? false : now === "0" || now === start;
}

let own: string | undefined;

/** This process as `<pid>-<start>`, the tag put into the names of its temp files. */
export function ownerTag(): string {
  own ??= `${process.pid}-${processStartTime(process.pid) ?? "0"}`;
  return own;
}

const TAGGED = /(?:^|[.-])(\d+)-(\d+)-[0-9a-f]{8,}(?:\.tmp)?$/;

/** The owner tag inside a temp name written by `ownerTag()`, if any. */
export function ownerOf(name: string): { pid: number; start: string } | undefined {
  const match = TAGGED.exec(name);
  return match ? { pid: Number(match[1]), start: String(match[2]) } : undefined;
}
