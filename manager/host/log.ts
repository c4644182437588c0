// The host's logger: pino writing JSON lines to stderr, so stdout stays free for command output.
import pino, { type Logger } from "pino";

export type { Logger };

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Creates the host logger at `level` (default `warn`, so commands stay quiet unless asked). */
export function createHostLogger(level: LogLevel = "warn"): Logger {
  return pino({ level, base: null }, pino.destination({ fd: 2, sync: true }));
}
