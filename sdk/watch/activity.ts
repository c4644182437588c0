// Counts requests in flight and runs the idle timer only while there are none (ADR 0001: an in-flight
// request, a long blob stream included, keeps the plugin alive).

/** In-flight bookkeeping shared by the request handler, the idle timer and the graceful stop. */
export interface Activity {
  /** A request has arrived. */
  begin(): void;
  /** A request's answer is finished or its connection is gone. */
  end(): void;
  /** Number of requests in flight. */
  readonly inFlight: number;
  /** Resolves once no request is in flight. */
  drained(): Promise<void>;
  /** Arms the idle timer for the first time (after the ready line). */
  start(): void;
  /** Disarms the idle timer for good (the plugin is stopping). */
  stop(): void;
}

/**
 * Creates the tracker; `onIdle` runs once `idleMs` passed with nothing in flight (0 disables it).
 * A request does not touch the timer: the end of the last one is only noted, and a timer that fires early
 * sleeps again for the time left. Timers are re-armed at most once per idle period, not per request.
 */
export function createActivity(idleMs: number, onIdle: () => void): Activity {
  let inFlight = 0;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let lastEnd = 0;
  let waiters: Array<() => void> = [];

  const disarm = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const fire = () => {
    timer = undefined;
    // A request in flight re-arms the timer when it ends.
    if (!running || inFlight > 0) return;
    const left = lastEnd + idleMs - performance.now();
    if (left > 0) timer = setTimeout(fire, left);
    else onIdle();
  };
  const arm = () => {
    if (timer === undefined && running && idleMs > 0 && inFlight === 0) timer = setTimeout(fire, idleMs);
  };

  return {
    begin() {
      inFlight++;
    },
    end() {
      inFlight = Math.max(0, inFlight - 1);
      if (inFlight > 0) return;
      lastEnd = performance.now();
      if (waiters.length > 0) {
        for (const wake of waiters) wake();
        waiters = [];
      }
      arm();
    },
    get inFlight() {
      return inFlight;
    },
    drained() {
      return inFlight === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
    start() {
      running = true;
      lastEnd = performance.now();
      arm();
    },
    stop() {
      running = false;
      disarm();
    },
  };
}
