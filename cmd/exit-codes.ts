// The exit codes of `ocm` (docs/cli.md), in a module of their own so that `ocm --version` needs no more.
export const EXIT = {
  OK: 0,
  /** The operation failed (a plugin, a repository, a bad value). */
  FAILED: 1,
  /** The command line was wrong. */
  USAGE: 2,
  /** A bug in ocm-ts. */
  INTERNAL: 70,
} as const;
