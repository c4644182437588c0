// Ends the plugin when its host is gone, even after a SIGKILL that left no chance to stop it (ADR 0001,
// "Host killed with SIGKILL"): the host's stdin pipe ends, or its pid stops existing. The graceful stop
// gets a short, bounded while; then the process ends itself and its group, whatever the plugin's code does.
import { fstatSync } from "node:fs";
import { PLUGIN_EXIT } from "../../core/protocol/exit-codes.js";
import { endOwnGroup } from "../stop/end-own-group.js";

const POLL_MS = 500;
/** How long the graceful stop may take once the host is gone; nobody waits for its answers any more. */
export const LIFELINE_EXIT_MS = 1_500;

/**
 * Calls `onGone` once when stdin (a pipe from the host) ends or `parentPid` no longer exists, and exits
 * the process `LIFELINE_EXIT_MS` later if it is still there (a close hook that hangs, SIGTERM ignored).
 * On the way out, the process group this process leads is killed.
 */
export function watchParent(parentPid: number | undefined, onGone: (reason: string) => void): void {
  let gone = false;
  const report = (reason: string) => {
    if (gone) return;
    gone = true;
    process.once("exit", endOwnGroup);
    setTimeout(() => process.exit(PLUGIN_EXIT.OK), LIFELINE_EXIT_MS);
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
