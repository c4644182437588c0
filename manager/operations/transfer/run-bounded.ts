// Runs tasks with at most `limit` at a time; the first failure aborts the others, and the call returns only
// when none is running any more, so no write continues behind the caller's back.

/**
 * Calls `work(item, signal)` for every item, at most `limit` at once, and returns the results in order.
 * On the first failure `signal` is aborted, the remaining items are not started, and once the running
 * ones have settled the first error is thrown.
 */
export async function runBounded<T, R>(
  items: readonly T[],
  limit: number,
  outer: AbortSignal | undefined,
  work: (item: T, signal: AbortSignal) => Promise<R>,
): Promise<R[]> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onAbort, { once: true });
  const results: R[] = new Array<R>(items.length);
  let failure: { error: unknown } | undefined;
  let next = 0;
  const worker = async () => {
    while (next < items.length && !failure && !controller.signal.aborted) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T, controller.signal);
      } catch (error) {
        failure ??= { error };
        controller.abort(error);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  } finally {
    outer?.removeEventListener("abort", onAbort);
  }
  if (failure) throw failure.error;
  outer?.throwIfAborted();
  return results;
}
