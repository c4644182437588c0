// One writer per repository (a CTF, a component archive): a lock file created with O_EXCL holds the writer's
// pid and start time. A second writer retries for a while, then fails naming the holder; a lock whose process
// no longer runs (or whose pid now belongs to a process started later) is stale and taken over. Readers take
// no lock: every write lands by rename, so they see a consistent repository either way.
import { open, readFile, rm, rename } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { randomBytes } from "node:crypto";
import { OcmError } from "../../core/errors.js";
import { isOwnerAlive, ownerTag } from "./process-owner.js";

/** How long a writer waits for another writer before failing, in milliseconds. */
export const LOCK_WAIT_MS = 5000;
const RETRY_MS = 50;

interface Holder {
  pid: number;
  start?: string;
  text: string;
}

async function holderOf(lockPath: string): Promise<Holder | undefined> {
  const text = await readFile(lockPath, "utf8").catch(() => undefined);
  const [pidText, start] = (text ?? "").trim().split(/\s+/);
  const pid = Number.parseInt(pidText ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0 || text === undefined) return undefined;
  return start === undefined ? { pid, text } : { pid, start, text };
}

async function tryCreate(lockPath: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, "wx", 0o644);
    await handle.writeFile(ownerTag().replace("-", " "));
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/** Removes a stale lock; the rename makes sure only one of several waiting writers removes it. */
async function breakStale(lockPath: string, holder: Holder): Promise<void> {
  const aside = `${lockPath}.${randomBytes(6).toString("hex")}.stale`;
  const moved = await rename(lockPath, aside).then(
    () => true,
    () => false,
  );
  if (!moved) return;
  // Another writer may have taken the lock between our read and the rename: give it back.
  if ((await holderOf(aside))?.text !== holder.text) await rename(aside, lockPath).catch(() => undefined);
  else await rm(aside, { force: true });
}

/**
 * Holds the lock at `lockPath` while `work` runs; `work` learns whether a dead writer's lock was taken over,
 * so it can remove what that writer left behind.
 */
export async function withWriteLock<T>(
  lockPath: string,
  work: (tookOver: boolean) => Promise<T>,
  waitMs = LOCK_WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  let tookOver = false;
  for (;;) {
    if (await tryCreate(lockPath)) break;
    const holder = await holderOf(lockPath);
    const pid = holder?.pid;
    if (holder !== undefined && !isOwnerAlive(holder.pid, holder.start)) {
      await breakStale(lockPath, holder);
      tookOver = true;
      continue;
    }
    if (Date.now() >= deadline) {
      throw new OcmError({
        code: "OCM_REPOSITORY_LOCKED",
        message: `repository lock ${lockPath} is held by process ${pid ?? "(unknown)"}`,
        hint: `Wait for process ${pid ?? "(unknown)"} to finish; remove ${lockPath} only if no ocm process runs.`,
        details: { lockPath, pid },
      });
    }
    await sleep(RETRY_MS);
  }
  try {
    return await work(tookOver);
  } finally {
    await rm(lockPath, { force: true });
  }
}
