// The level the in-process plugins log at. They log with the SDK's logger straight to the host's stderr, so
// the host puts it at its own level, as the server config does for a plugin process: `--log-level debug`
// then shows their lines too.
import { LOG_LEVELS, log, type LogLevel } from "../sdk/index.js";

/** Makes the in-process plugins log at `level` (a pino level name; an unknown one changes nothing). */
export function logBuiltinsAt(level: string): void {
  if (Object.hasOwn(LOG_LEVELS, level)) log.level = level as LogLevel;
}
