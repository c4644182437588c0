// How the CLI reports failures and which exit code it chooses (see docs/cli.md).
import type { Writable } from "node:stream";
import { escapeControls, isOcmError, redactUrls } from "../core/index.js";
import { EXIT } from "./exit-codes.js";
import { systemError } from "./system-errors.js";

export { EXIT };

/**
 * Text as it may reach the terminal: text from plugins and registries ends up in messages, so control
 * characters are escaped (no cursor moves, colours or fake lines), and passwords in URLs are masked.
 */
export function safeText(text: string): string {
  return escapeControls(redactUrls(text));
}

/** Prints `error` as `Error:` / `Code:` / `Try:` / `Caused by:` and returns the exit code. */
export function reportError(thrown: unknown, stderr: Writable): number {
  const error = systemError(thrown) ?? thrown;
  if (isOcmError(error) && error.code !== "OCM_INTERNAL") {
    const lines = [`Error: ${error.message}`, `Code: ${error.code}`];
    if (error.hint) lines.push(`Try: ${error.hint}`);
    const cause = error.cause instanceof Error ? error.cause.message : undefined;
    if (cause && cause !== error.message) lines.push(`Caused by: ${cause}`);
    stderr.write(`${lines.map(safeText).join("\n")}\n`);
    return error.code === "OCM_USAGE_INVALID" ? EXIT.USAGE : EXIT.FAILED;
  }
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error && process.env.OCM_DEBUG ? `\n${error.stack}` : "";
  stderr.write(
    safeText(
      `Error: internal error: ${message}\nCode: OCM_INTERNAL\n` +
        `Try: this is a bug in ocm-ts; please report it with the command you ran (set OCM_DEBUG=1 for a stack trace).${stack}`,
    ) + "\n",
  );
  return EXIT.INTERNAL;
}
