// Output rendering for every command: aligned tables, JSON or YAML.
import { stringify } from "yaml";
import { OcmError, escapeControls } from "../core/index.js";

export const OUTPUT_FORMATS = ["table", "json", "yaml"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function parseOutputFormat(
  value: string,
  allowed: readonly OutputFormat[] = OUTPUT_FORMATS,
): OutputFormat {
  if ((allowed as readonly string[]).includes(value)) return value as OutputFormat;
  throw new OcmError({
    code: "OCM_USAGE_INVALID",
    message: `unknown output format ${JSON.stringify(value)}`,
    hint: `Use -o with one of: ${allowed.join(", ")}.`,
  });
}

/**
 * Renders rows as a table with a header line and columns padded to their widest cell. Cells often hold
 * text from a repository or plugin (a provider, a check's message), so control characters are escaped.
 */
export function renderTable(headers: string[], rawRows: string[][]): string {
  const rows = rawRows.map((row) => row.map((cell) => escapeControls(cell, false)));
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n") + "\n";
}

/** Renders structured data as JSON or YAML. */
export function renderData(data: unknown, format: "json" | "yaml"): string {
  return format === "json" ? `${JSON.stringify(data, null, 2)}\n` : stringify(data, { lineWidth: 0 });
}
