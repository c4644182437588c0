// Formatting of benchmark figures: each beside its baseline, with the ratio and the goal.

export interface Row {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  baselineName?: string;
  goal?: string;
  met?: boolean;
  higherIsBetter?: boolean;
  note?: string;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(3));

/** Prints one line per figure: value, baseline, ratio, goal and whether it is met. */
export function printRows(title: string, rows: Row[]): void {
  console.log(`\n== ${title} ==`);
  for (const row of rows) {
    const parts = [`${row.name}: ${fmt(row.value)} ${row.unit}`];
    if (row.baseline !== undefined) {
      parts.push(`baseline ${fmt(row.baseline)} ${row.unit} (${row.baselineName ?? "bare"})`);
      parts.push(`ratio ${(row.value / row.baseline).toFixed(2)}×`);
    }
    if (row.goal) parts.push(`goal ${row.goal}: ${row.met ? "met" : "NOT met"}`);
    if (row.note) parts.push(row.note);
    console.log(`  ${parts.join(" | ")}`);
  }
}
