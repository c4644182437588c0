// Exit codes a plugin process reserves (sysexits.h values), so the host can say why a start failed.
export const PLUGIN_EXIT = {
  /** Clean exit: idle timeout, SIGTERM, shutdown route, parent gone. */
  OK: 0,
  /** Unknown command or malformed arguments. */
  USAGE: 64,
  /** The `--config` JSON or the secrets line on stdin is invalid, or the plugin's own config failed its schema. */
  CONFIG: 78,
  /** The plugin's init hook failed. */
  INIT: 75,
  /** The plugin could not listen on the given location. */
  LISTEN: 69,
  /** Anything else. */
  INTERNAL: 70,
} as const;

/** Names a reserved exit code for error messages. */
export function describeExitCode(code: number | null | undefined): string {
  switch (code) {
    case PLUGIN_EXIT.USAGE:
      return "usage error";
    case PLUGIN_EXIT.CONFIG:
      return "invalid configuration";
    case PLUGIN_EXIT.INIT:
      return "init failed";
    case PLUGIN_EXIT.LISTEN:
      return "could not listen";
    case PLUGIN_EXIT.INTERNAL:
      return "internal error";
    default:
      return code === null || code === undefined ? "killed by a signal" : `exit code ${code}`;
  }
}
