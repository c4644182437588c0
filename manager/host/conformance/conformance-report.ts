// The result of `ocm plugin verify` as data: one entry per contract check, so the command can render a
// table or JSON and CI can read which check failed and why.

/** One contract check and its outcome. */
export interface ConformanceCheck {
  /** Stable name, e.g. `capabilities`, `tcp-secret`, `route componentLister Echo/v1 list-components`. */
  name: string;
  status: "pass" | "fail" | "skip";
  /** Why it failed or was skipped; for a pass, what was observed when that is worth saying. */
  detail?: string;
  durationMs: number;
}

/** Everything `ocm plugin verify` found out about one executable. */
export interface ConformanceReport {
  path: string;
  /** Name, version and protocol from the capabilities document, when it was valid. */
  plugin?: { name?: string; version?: string; protocol: string; types: Record<string, string[]> };
  checks: ConformanceCheck[];
  /** True when no check failed. */
  ok: boolean;
}

/** Thrown by a check that cannot be made (e.g. the plugin refused the spec verify made up): a skip. */
export class SkipCheck extends Error {}

/** Records checks in order, timing each one. A check function throws to fail, returns a detail to pass. */
export class CheckRecorder {
  readonly checks: ConformanceCheck[] = [];

  /** Runs `fn` as the check `name`; returns false when it failed. */
  async run(name: string, fn: () => Promise<string | undefined | void>): Promise<boolean> {
    const started = Date.now();
    try {
      const detail = await fn();
      this.checks.push({
        name,
        status: "pass",
        ...(detail ? { detail } : {}),
        durationMs: Date.now() - started,
      });
      return true;
    } catch (error) {
      if (error instanceof SkipCheck) {
        this.skip(name, error.message);
        return true;
      }
      const detail = error instanceof Error ? error.message : String(error);
      this.checks.push({ name, status: "fail", detail, durationMs: Date.now() - started });
      return false;
    }
  }

  /** Records a check that could not be made, with the reason. */
  skip(name: string, detail: string): void {
    this.checks.push({ name, status: "skip", detail, durationMs: 0 });
  }
}
