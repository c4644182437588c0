// The errors of a transfer's processing chain; each names the processor by its type and place in the chain.
import { OcmError } from "../../../../core/index.js";

/** A chain entry as messages name it: `Labels/v1 (processor 2 of 3)`. */
export interface NamedStep {
  type: string;
  position: number;
  of: number;
}

export const stepName = (step: NamedStep) => `${step.type} (processor ${step.position} of ${step.of})`;

export function processorFailedError(step: NamedStep, item: string, reason: string): OcmError {
  return new OcmError({
    code: "OCM_PROCESSOR_FAILED",
    message: `${stepName(step)} failed ${item}: ${reason}`,
    hint: "Nothing of this component version was written. Change the source or the processor's config, or leave the processor out.",
    details: { processor: step.type, position: step.position, item },
  });
}

export function badAnswerError(step: NamedStep, item: string, problem: string): OcmError {
  return new OcmError({
    code: "OCM_PROCESSOR_BAD_ANSWER",
    message: `${stepName(step)} answered for ${item}: ${problem}`,
    hint: `This is a fault of the ${step.type} processor; report it to its author.`,
    details: { processor: step.type, position: step.position, item },
  });
}

export function signedChangeError(step: NamedStep, item: string, signatures: string[]): OcmError {
  return new OcmError({
    code: "OCM_PROCESSOR_SIGNED_CHANGE",
    message: `${stepName(step)} would change what the signature${signatures.length === 1 ? "" : "s"} ${signatures.map((s) => JSON.stringify(s)).join(", ")} of ${item} cover${signatures.length === 1 ? "s" : ""}`,
    hint: "Pass --allow-unsigned-changes to write the changed version without its signatures (sign it again afterwards), or leave the processor out.",
    details: { processor: step.type, position: step.position, item, signatures },
  });
}

export function processorConfigError(message: string, hint: string): OcmError {
  return new OcmError({ code: "OCM_PROCESSOR_CONFIG_INVALID", message, hint });
}
