// The one health poll of the host: a plugin's `GET /v1/health` asked with a growing pause until it answers,
// something settles the start first (a ready line, an exit), or the bound passes. The manager's starts and
// `ocm plugin verify`'s launches both wait this way.

export interface HealthPollOptions {
  /** One health request; true when the plugin answered healthy. Must not throw. */
  check: () => Promise<boolean>;
  /** Bound on the whole wait (ms). */
  timeoutMs: number;
  /** First pause between two requests (ms), doubled after each up to `maxPauseMs`. */
  pauseMs: number;
  maxPauseMs: number;
  /**
   * Asked before and after each request: true ends the wait as ready without a further request (the ready
   * line was seen); it throws to end the wait with that error (the process exited).
   */
  settled?: () => boolean;
  /** Subscribes to events that end a pause at once (a line on stdout, an exit); returns the unsubscribe. */
  onWake?: (wake: () => void) => () => void;
}

/** True once the plugin is healthy (or `settled` says ready), false when `timeoutMs` passed first. */
export async function pollHealth(options: HealthPollOptions): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  let wake: (() => void) | undefined;
  // An event during a request (a line printed just before the plugin listened) must not be lost: that
  // request fails, and the next one then goes out at once instead of after the pause.
  let woken = false;
  const unsubscribe = options.onWake?.(() => {
    woken = true;
    wake?.();
  });
  try {
    for (let pause = options.pauseMs; ; pause = Math.min(pause * 2, options.maxPauseMs)) {
      if (options.settled?.()) return true;
      woken = false;
      if (await options.check()) return true;
      if (options.settled?.()) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      if (woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(pause, left));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    unsubscribe?.();
  }
}
