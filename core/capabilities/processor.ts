// processor: one step of a transfer's processing chain (the processor RFC's Init, Process, OnComplete, Close).
import type { processorOperations } from "../protocol/processor.js";
import type { CapabilityInterface } from "./derive.js";

/** Changes, filters or fails component versions as a transfer streams them (adr/0006-processors.md). */
export interface Processor extends CapabilityInterface<typeof processorOperations> {}
