// How many blobs a transfer copies at the same time: parsed and defaulted in this one place.
import { OcmError } from "../errors.js";

/** Blobs copied at the same time when the caller does not say. */
export const DEFAULT_CONCURRENCY = 4;

/**
 * The concurrency a caller asked for (a number, or the text of `--concurrency`), or the default. Throws
 * OCM_USAGE_INVALID with the value when it is not a positive integer.
 */
export function parseConcurrency(value: number | string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const n = typeof value === "number" ? value : value.trim() === "" ? Number.NaN : Number(value);
  if (Number.isInteger(n) && n >= 1) return n;
  throw new OcmError({
    code: "OCM_USAGE_INVALID",
    message: `--concurrency ${JSON.stringify(value)} is not a positive integer`,
    hint: "Pass --concurrency with a number of at least 1, e.g. --concurrency 8.",
    details: { concurrency: value },
  });
}
