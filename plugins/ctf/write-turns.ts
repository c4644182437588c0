// Writers of one process to one CTF take turns here before they take the CTF's lock file. A host copies
// several blobs of a transfer at once, and a tar or tgz CTF (or a directory being created) holds its lock
// for a whole upload: the others would give up after the lock file's wait and fail with
// OCM_REPOSITORY_LOCKED although the holder was a call of the same transfer. Queued here they wait as long
// as the calls before them take; only another process's writer can make a write fail with a held lock.

const tails = new Map<string, Promise<void>>();

/** Runs `write` once every earlier write of this process to the CTF locked by `lockPath` has settled. */
export function inTurn<T>(lockPath: string, write: () => Promise<T>): Promise<T> {
  const before = tails.get(lockPath) ?? Promise.resolve();
  const result = before.then(write);
  const tail = result.then(
    () => undefined,
    () => undefined,
  );
  tails.set(lockPath, tail);
  void tail.then(() => {
    if (tails.get(lockPath) === tail) tails.delete(lockPath);
  });
  return result;
}
