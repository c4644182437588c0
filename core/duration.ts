// Durations as the plugin contract carries them: Go duration strings ("30s", "1h30m") or integer nanoseconds.
import { OcmError } from "./errors.js";

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;

/** Parses a Go-style duration string or integer nanoseconds into milliseconds. */
export function parseDuration(value: string | number): number {
  if (typeof value === "number") {
    if (Number.isInteger(value) && value >= 0) return value / 1e6;
    throw invalid(value);
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) / 1e6;
  if (text === "0") return 0;
  let total = 0;
  let consumed = 0;
  PART.lastIndex = 0;
  for (let match = PART.exec(text); match; match = PART.exec(text)) {
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    consumed = PART.lastIndex;
  }
  if (consumed === 0 || consumed !== text.length) throw invalid(value);
  return total;
}

/** Formats milliseconds as a Go-style duration string ("1m30s", "250ms"). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}` || "0s";
}

function invalid(value: string | number): OcmError {
  return new OcmError({
    code: "OCM_DURATION_INVALID",
    message: `invalid duration ${JSON.stringify(value)}`,
    hint: 'Use a Go duration string such as "30s", "5m" or "1h30m", or an integer of nanoseconds.',
  });
}
