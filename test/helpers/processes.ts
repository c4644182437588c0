// What a user would see in `ps`: running (not zombie) processes by pid or process group, read from /proc.
import { readFile, readdir } from "node:fs/promises";

interface ProcStat {
  state: string;
  pgrp: number;
}

async function statOf(pid: number | string): Promise<ProcStat | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0] ?? "", pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/** True while `pid` runs; a zombie counts as gone. */
export async function isRunning(pid: number): Promise<boolean> {
  const stat = await statOf(pid);
  return stat !== undefined && stat.state !== "Z";
}

/** Pids of the running (not zombie) processes in process group `pgid`. */
export async function groupProcesses(pgid: number): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await statOf(entry);
    if (stat && stat.state !== "Z" && stat.pgrp === pgid) pids.push(Number(entry));
  }
  return pids;
}

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passed; returns its last answer. */
export async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}
