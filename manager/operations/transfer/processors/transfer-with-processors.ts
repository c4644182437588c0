// `ocm transfer --processor …`: a transfer whose component versions run through a processing chain
// (adr/0007-processors.md), resumable through a checkpoint file. Without processors it is a plain transfer.
import type { CapabilityProvider } from "../../../../core/index.js";
import { transferComponentVersions } from "../transfer-component-versions.js";
import type { TransferOptions, TransferSummary } from "../transfer-types.js";
import { openCheckpoint } from "./checkpoint.js";
import { describeChain, openProcessorChain } from "./open-chain.js";
import type { ProcessorEntry } from "./parse-processor-flag.js";
import { createProcessingProvider } from "./processing-provider.js";

export interface ProcessedTransferOptions extends TransferOptions {
  /** The chain, in order; each entry names a processor type (or alias) and its config. */
  processors?: readonly ProcessorEntry[] | undefined;
  /** Write versions whose signed content a processor changed, without their signatures. */
  allowUnsignedChanges?: boolean | undefined;
  /** Where checkpoints of unfinished transfers with processors are kept; without it a kill means starting over. */
  checkpointDir?: string | undefined;
}

export interface ProcessedTransferSummary extends TransferSummary {
  /** The chain as `--dry-run` shows it; empty without processors. */
  processors: string[];
}

/** Transfers as `transferComponentVersions` does, each component version through the chain. */
export async function transferWithProcessors(
  manager: CapabilityProvider,
  options: ProcessedTransferOptions,
): Promise<ProcessedTransferSummary> {
  const { processors = [], allowUnsignedChanges, checkpointDir, ...transfer } = options;
  if (processors.length === 0) {
    return { ...(await transferComponentVersions(manager, transfer)), processors: [] };
  }
  const chain = await openProcessorChain(manager, processors);
  try {
    const checkpoint =
      checkpointDir === undefined || options.dryRun
        ? undefined
        : await openCheckpoint(checkpointDir, options.source, options.target, processors);
    const provider = createProcessingProvider(manager, {
      chain,
      target: options.target,
      checkpoint,
      allowUnsignedChanges,
    });
    const summary = await transferComponentVersions(provider, transfer);
    await checkpoint?.remove();
    return { ...summary, processors: describeChain(processors) };
  } finally {
    await chain.close();
  }
}

/** `$XDG_STATE_HOME/ocm/transfers`, else `~/.local/state/ocm/transfers`: where `ocm transfer` keeps checkpoints. */
export function defaultCheckpointDir(env: Record<string, string | undefined>, home: string): string {
  const state = env["XDG_STATE_HOME"];
  return state ? `${state}/ocm/transfers` : `${home}/.local/state/ocm/transfers`;
}
