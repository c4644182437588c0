// The last act of a plugin whose host is gone: when it leads its own process group (the host starts it
// with setsid), everything it forked goes with it, so nothing of the group outlives the host (#10).
import { readFileSync } from "node:fs";

/** SIGKILLs this process's group, itself included, when it leads the group; else does nothing. */
export function endOwnGroup(): void {
  const pgrp = ownGroup();
  if (pgrp === undefined || pgrp !== process.pid) return;
  try {
    process.kill(-pgrp, "SIGKILL");
  } catch {
    // Nothing left to signal.
  }
}

/** This process's group id from /proc (Linux); undefined where it cannot be read cheaply. */
function ownGroup(): number | undefined {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    // Fields after the command name: state, ppid, pgrp.
    const pgrp = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
    return Number.isInteger(pgrp) ? pgrp : undefined;
  } catch {
    return undefined;
  }
}
