// Secrets that users put into references (`http://user:password@host`) and text that untrusted parties
// (plugins, registries) put into errors must not reach a terminal or a log as they are.

const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^/\s@"'`]*@/gi;

/** `text` with the user-info part of every URL in it (`scheme://user:pw@`) replaced by `***@`. */
export function redactUrls(text: string): string {
  return text.replace(USERINFO, "$1***@");
}

/** A short, secret-free name of a repository spec for messages: its file path or base URL and sub path. */
export function describeRepository(spec: { type: string } & Record<string, unknown>): string {
  const where =
    typeof spec.filePath === "string"
      ? spec.filePath
      : typeof spec.baseUrl === "string"
        ? `${spec.baseUrl}${typeof spec.subPath === "string" && spec.subPath ? `/${spec.subPath}` : ""}`
        : undefined;
  return where === undefined ? spec.type : `${spec.type} ${redactUrls(where)}`;
}

// C0 controls (ESC, CR, backspace, BEL, …), DEL, C1 controls (a lone 0x9b is a CSI on many terminals),
// and the bidi overrides that reorder what is shown. Newline and tab are kept by `escapeControls`.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS_AND_NEWLINES = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, "0")}`
    : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * `text` with every terminal control character written as a visible escape (`ESC` → `\x1b`), so text from
 * a plugin or a registry cannot move the cursor, recolour, retitle or rewrite what the terminal shows.
 * Newlines and tabs are kept unless `keepNewlines` is false.
 */
export function escapeControls(text: string, keepNewlines = true): string {
  return text.replace(keepNewlines ? CONTROLS : CONTROLS_AND_NEWLINES, escapeChar);
}

/** At most `max` characters of `text`, saying how much was cut. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters cut)`;
}

/** Untrusted one-line text for a message: controls and newlines escaped, cut at `max` characters. */
export function untrustedText(text: string, max = 4096): string {
  return escapeControls(truncateText(text, max), false);
}
