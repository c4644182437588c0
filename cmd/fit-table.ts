// Tables and notes that fit the terminal: cells are cut with `…` and notes wrapped to the width, and text
// from plugins has its control characters escaped first, so it cannot move the cursor or fake lines.
import type { Writable } from "node:stream";
import { escapeControls, redactUrls } from "../core/index.js";

/**
 * The width output should keep to: the terminal's columns on a TTY; otherwise `COLUMNS` when set (as `ls`
 * reads it); otherwise none, so that a pipe or a script gets whole cells.
 */
export function outputWidth(stream: Writable, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const tty = stream as Writable & { isTTY?: boolean; columns?: number };
  if (tty.isTTY && tty.columns && tty.columns > 0) return tty.columns;
  const columns = Number(env["COLUMNS"]);
  return Number.isInteger(columns) && columns > 0 ? columns : undefined;
}

/** Untrusted text on one line: URL passwords masked, control characters and newlines escaped. */
export function oneLine(text: string): string {
  return escapeControls(redactUrls(text), false);
}

/** `text` cut to `width` characters, the cut marked with `…` at the end (or at the start). */
function cut(text: string, width: number, atStart: boolean): string {
  if (text.length <= width) return text;
  if (width <= 1) return "…".slice(0, width);
  return atStart ? `…${text.slice(text.length - width + 1)}` : `${text.slice(0, width - 1)}…`;
}

export interface FitOptions {
  /** The width lines must keep to; none leaves cells whole. */
  width?: number | undefined;
  /** Columns to cut first, widest first (e.g. lists and paths); others only when that is not enough. */
  flexible?: readonly number[];
  /** Columns whose cut keeps the end (paths). */
  keepEnd?: readonly number[];
}

/**
 * The rows with every cell made one safe line and cut so that the table `renderTable` draws (columns
 * joined by two spaces) is at most `width` wide. A column never gets narrower than its header.
 */
export function fitRows(headers: string[], rows: string[][], options: FitOptions = {}): string[][] {
  const safe = rows.map((row) => row.map(oneLine));
  const width = options.width;
  if (width === undefined) return safe;
  const widths = headers.map((h, i) => Math.max(h.length, ...safe.map((row) => (row[i] ?? "").length)));
  const total = () => widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1);
  const flexible = options.flexible ?? headers.map((_, i) => i);
  for (const group of [flexible, headers.map((_, i) => i)]) {
    while (total() > width) {
      const shrinkable = group.filter((i) => (widths[i] ?? 0) > (headers[i] ?? "").length);
      if (shrinkable.length === 0) break;
      const widest = shrinkable.reduce((a, b) => ((widths[b] ?? 0) > (widths[a] ?? 0) ? b : a));
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  }
  const keepEnd = new Set(options.keepEnd ?? []);
  return safe.map((row) => row.map((cell, i) => cut(cell, widths[i] ?? cell.length, keepEnd.has(i))));
}

/**
 * `text` (one safe line) broken at spaces into lines of at most `width`, later lines indented by `indent`
 * spaces; a word longer than a line is cut into pieces. Without a width, one line.
 */
export function wrapText(text: string, width: number | undefined, indent = 2): string[] {
  const line = oneLine(text);
  if (width === undefined || line.length <= width) return [line];
  width = Math.max(width, indent + 20);
  const lines: string[] = [];
  let current = "";
  const room = () => width - (lines.length === 0 ? 0 : indent);
  for (const word of line.split(" ")) {
    let rest = word;
    if (current && current.length + 1 + rest.length <= room()) {
      current += ` ${rest}`;
      continue;
    }
    if (current) lines.push(current);
    current = "";
    for (let r = room(); rest.length > r; r = room()) {
      lines.push(rest.slice(0, r));
      rest = rest.slice(r);
    }
    current = rest;
  }
  if (current) lines.push(current);
  return lines.map((l, i) => (i === 0 ? l : `${" ".repeat(indent)}${l}`));
}
