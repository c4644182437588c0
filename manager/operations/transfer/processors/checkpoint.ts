// The state file that makes a transfer with processors resumable (adr/0007-processors.md): one JSON line
// per component version written to the target, appended after the target committed it. A re-run with the
// same source, target and chain skips those versions without processing them again, once it has checked
// that the target still holds them as written. A line cut short by a kill is ignored.
import { createHash } from "node:crypto";
import { appendFile, mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { canonicalJson, type TypedSpec } from "../../../../core/index.js";
import type { ProcessorEntry } from "./parse-processor-flag.js";

/** A finished version: its normalised digest as written to the target. */
interface Finished {
  component: string;
  version: string;
  digest: string;
}

export interface Checkpoint {
  /** The file, named by the transfer it belongs to. */
  path: string;
  /** The digest recorded for a finished version, if any. */
  finished(component: string, version: string): string | undefined;
  record(component: string, version: string, digest: string): Promise<void>;
  /** The transfer completed: nothing is left to resume. */
  remove(): Promise<void>;
}

/** The checkpoint of transferring `source` to `target` through `chain`, in `dir`. */
export async function openCheckpoint(
  dir: string,
  source: TypedSpec,
  target: TypedSpec,
  chain: readonly ProcessorEntry[],
): Promise<Checkpoint> {
  const key = createHash("sha256")
    .update(
      canonicalJson({ source, target, chain: chain.map((e) => ({ type: e.type, config: e.config ?? {} })) }),
    )
    .digest("hex")
    .slice(0, 32);
  const path = join(dir, `${key}.jsonl`);
  const finished = new Map<string, string>();
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  for (const line of text.split("\n")) {
    try {
      const entry = JSON.parse(line) as Finished;
      if (typeof entry.digest === "string") finished.set(`${entry.component}:${entry.version}`, entry.digest);
    } catch {
      // the last line of a killed run may be cut short
    }
  }
  return {
    path,
    finished: (component, version) => finished.get(`${component}:${version}`),
    record: async (component, version, digest) => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await appendFile(path, `${JSON.stringify({ component, version, digest } satisfies Finished)}\n`, {
        mode: 0o600,
      });
      finished.set(`${component}:${version}`, digest);
    },
    remove: () => rm(path, { force: true }),
  };
}
