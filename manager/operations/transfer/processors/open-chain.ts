// Declaration, then materialisation: `--processor` entries become a chain of started processors, each
// initialised once with its config before any component version flows, and closed once at the end.
import { randomUUID } from "node:crypto";
import type { CapabilityProvider } from "../../../../core/index.js";
import type { ProcessorEntry } from "./parse-processor-flag.js";
import { stepName, type NamedStep } from "./processor-errors.js";
import type { ChainStep } from "./run-chain.js";

/** A chain whose processors are initialised; `close` ends each (in reverse order), once. */
export interface ProcessorChain {
  steps: readonly ChainStep[];
  close(): Promise<void>;
}

/** What `--dry-run` shows: each entry by type and position, with its config. */
export function describeChain(entries: readonly ProcessorEntry[]): string[] {
  return entries.map((entry, i) => {
    const step: NamedStep = { type: entry.type, position: i + 1, of: entries.length };
    return entry.config === undefined ? stepName(step) : `${stepName(step)} ${JSON.stringify(entry.config)}`;
  });
}

/** Finds each entry's processor and calls its `init`; a failing init closes the ones already started. */
export async function openProcessorChain(
  provider: CapabilityProvider,
  entries: readonly ProcessorEntry[],
): Promise<ProcessorChain> {
  const steps: ChainStep[] = [];
  const close = async () => {
    const errors: unknown[] = [];
    for (const step of [...steps].reverse()) {
      await step.processor.close({ instance: step.instance }).catch((error: unknown) => errors.push(error));
    }
    steps.length = 0;
    if (errors.length > 0) throw errors[0];
  };
  try {
    for (const [i, entry] of entries.entries()) {
      const processor = await provider.getPlugin(entry.type, "processor");
      const instance = `${i + 1}-${randomUUID()}`;
      const config = entry.config ?? {};
      await processor.init({ instance, config });
      steps.push({ type: entry.type, position: i + 1, of: entries.length, processor, instance, config });
    }
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return { steps, close };
}
