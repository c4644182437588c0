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

/** Creates the tracker; `onIdle` runs once `idleMs` passed with nothing in flight (0 disables it). */
export function createActivity(idleMs: number, onIdle: () => void): Activity {
  let inFlight = 0;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let waiters: Array<() => void> = [];

  const disarm = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const arm = () => {
    disarm();
    if (running && idleMs > 0 && inFlight === 0) timer = setTimeout(onIdle, idleMs);
  };

  return {
    begin() {
      inFlight++;
      disarm();
    },
    end() {
      inFlight = Math.max(0, inFlight - 1);
      if (inFlight > 0) return;
      for (const wake of waiters) wake();
      waiters = [];
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
      arm();
    },
    stop() {
      running = false;
      disarm();
    },
  };
}
