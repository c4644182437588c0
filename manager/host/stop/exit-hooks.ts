// Stops started plugins when the host ends: normal exit, SIGINT/SIGTERM, or an uncaught error.
// `exit` handlers must be synchronous, so there the plugins get SIGTERM without waiting; on signals the
// graceful stop runs first and the signal's default outcome (exit 128+n) follows.

const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

/** Installs the hooks and returns a function that removes them again. */
export function installExitHooks(stopAll: () => Promise<void>, killAllSync: () => void): () => void {
  const onExit = (): void => killAllSync();
  const onSignal = (signal: NodeJS.Signals): void => {
    uninstall();
    const code = 128 + (SIGNAL_NUMBERS[signal] ?? 1);
    const force = setTimeout(() => process.exit(code), 5_000);
    force.unref();
    void stopAll().finally(() => process.exit(code));
  };
  // A monitor does not change what Node does with the error (report, exit 1); it only runs first.
  const onUncaught = (): void => killAllSync();
  process.on("exit", onExit);
  for (const signal of Object.keys(SIGNAL_NUMBERS)) process.on(signal, onSignal);
  process.on("uncaughtExceptionMonitor", onUncaught);

  function uninstall(): void {
    process.off("exit", onExit);
    for (const signal of Object.keys(SIGNAL_NUMBERS)) process.off(signal, onSignal);
    process.off("uncaughtExceptionMonitor", onUncaught);
  }
  return uninstall;
}
