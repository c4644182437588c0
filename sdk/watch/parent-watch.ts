// Ends the plugin when its host is gone, even after a SIGKILL that left no chance to stop it (ADR 0001,
// "Host killed with SIGKILL"): the host's stdin pipe ends, or its pid stops existing.
import { fstatSync } from "node:fs";

const POLL_MS = 500;

/** Calls `onGone` once when stdin (a pipe from the host) ends or `parentPid` no longer exists. */
export function watchParent(parentPid: number | undefined, onGone: (reason: string) => void): void {
  let gone = false;
  const report = (reason: string) => {
    if (gone) return;
    gone = true;
    onGone(reason);
  };
  if (stdinIsPipe()) {
    process.stdin.on("end", () => report("stdin closed"));
    process.stdin.on("close", () => report("stdin closed"));
    process.stdin.on("error", () => report("stdin failed"));
    // Reading is what notices the end; the host never writes, anything it does write is dropped.
    process.stdin.on("data", () => undefined);
  }
  if (parentPid !== undefined) {
    const timer = setInterval(() => {
      if (!isAlive(parentPid)) report(`parent process ${parentPid} is gone`);
    }, POLL_MS);
    timer.unref();
  }
}

/**
 * Only a pipe or socket says something about the host; a terminal or /dev/null (a plugin started by
 * hand) would end at once or never and is not watched.
 */
function stdinIsPipe(): boolean {
  try {
    const stat = fstatSync(0);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
