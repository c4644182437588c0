// One writer per CTF: a lock file created with O_EXCL holds the writer's pid. A second writer retries for a
// while, then fails naming the holder; a lock whose pid no longer runs is stale and taken over. Readers
// take no lock: every write lands by rename, so they see a consistent CTF either way.
import { open, readFile, rm, rename } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { randomBytes } from "node:crypto";
import { OcmError } from "../../core/index.js";

/** How long a writer waits for another writer before failing, in milliseconds. */
export const LOCK_WAIT_MS = 5000;
const RETRY_MS = 50;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function holderOf(lockPath: string): Promise<number | undefined> {
  const text = await readFile(lockPath, "utf8").catch(() => undefined);
  const pid = Number.parseInt(text ?? "", 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function tryCreate(lockPath: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, "wx", 0o644);
    await handle.writeFile(String(process.pid));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** Removes a stale lock; the rename makes sure only one of several waiting writers removes it. */
async function breakStale(lockPath: string, pid: number): Promise<void> {
  const aside = `${lockPath}.${randomBytes(6).toString("hex")}.stale`;
  const moved = await rename(lockPath, aside).then(
    () => true,
    () => false,
  );
  if (!moved) return;
  // Another writer may have taken the lock between our read and the rename: give it back.
  if ((await holderOf(aside)) !== pid) await rename(aside, lockPath).catch(() => undefined);
  else await rm(aside, { force: true });
}

/** Holds the lock at `lockPath` while `work` runs. */
export async function withWriteLock<T>(
  lockPath: string,
  work: () => Promise<T>,
  waitMs = LOCK_WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await tryCreate(lockPath)) break;
    const pid = await holderOf(lockPath);
    if (pid !== undefined && !isRunning(pid)) {
      await breakStale(lockPath, pid);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new OcmError({
        code: "OCM_REPOSITORY_LOCKED",
        message: `CTF lock ${lockPath} is held by process ${pid ?? "(unknown)"}`,
        hint: `Wait for process ${pid ?? "(unknown)"} to finish; remove ${lockPath} only if no ocm process runs.`,
        details: { lockPath, pid },
      });
    }
    await sleep(RETRY_MS);
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}
