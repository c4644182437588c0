// The processor capability (adr/0007-processors.md): one step of a transfer's processing chain, with the
// processor RFC's lifecycle (Init, Process, OnComplete, Close). Kept beside operations.ts, which lists it.
import * as z from "zod";
import {
  blobInfoSchema,
  digestStringSchema,
  identitySchema,
  typedSpecSchema,
  wireDescriptorSchema,
  wireResourceSchema,
} from "./common.js";

/** The host's name for one chain entry: a plugin may serve several entries with different configs. */
const instanceSchema = z.string().min(1);

/** One component version as a processor sees it; the repositories carry no credentials. */
export const processorItemSchema = z.object({
  component: z.string().min(1),
  version: z.string().min(1),
  source: typedSpecSchema,
  target: typedSpecSchema,
  descriptor: wireDescriptorSchema,
});
export type ProcessorItem = z.infer<typeof processorItemSchema>;

/** What `process` answers: every field optional, so `{}` passes the item on unchanged. */
export const processAnswerSchema = z.object({
  /** The changed descriptor (labels, accesses, resources dropped); absent: unchanged. */
  descriptor: wireDescriptorSchema.optional(),
  /** Resources (identities in the answered descriptor) whose bytes `process-blob` is to replace. */
  replaceBlobs: z.array(identitySchema).optional(),
  /** Fails the component version: nothing of it is written, the transfer stops with the reason. */
  fail: z.object({ reason: z.string().min(1) }).optional(),
});
export type ProcessAnswer = z.infer<typeof processAnswerSchema>;

/** A replacement blob the processor holds until the host reads it with `read-blob`. */
export const replacementBlobSchema = z.object({
  id: z.string().min(1),
  mediaType: z.string().min(1),
  digest: digestStringSchema,
  size: z.number().int().nonnegative(),
});
export type ReplacementBlob = z.infer<typeof replacementBlobSchema>;

/**
 * The host names each chain entry an `instance` and calls `init` once with its config, `process` for each
 * component version, `process-blob` (the blob streamed in) and `read-blob` (the new bytes streamed out)
 * for the blobs a `process` answer asked to replace, `on-complete` once the version is written to the
 * target, and `close` at the end. An item may be processed twice (a transfer resumed after a kill).
 */
export const processorOperations = {
  init: {
    kind: "json",
    route: "init",
    request: z.object({ instance: instanceSchema, config: z.unknown() }),
    response: z.looseObject({}),
  },
  process: {
    kind: "json",
    route: "process",
    request: z.object({ instance: instanceSchema, config: z.unknown(), item: processorItemSchema }),
    response: processAnswerSchema,
  },
  processBlob: {
    kind: "upload",
    route: "process-blob",
    request: z.object({
      instance: instanceSchema,
      config: z.unknown(),
      component: z.string().min(1),
      version: z.string().min(1),
      resource: wireResourceSchema,
      mediaType: z.string().min(1),
    }),
    /** `blob: null`: the bytes stay as they are. */
    response: z.object({ blob: replacementBlobSchema.nullable() }),
  },
  readBlob: {
    kind: "download",
    route: "read-blob",
    request: z.object({ instance: instanceSchema, id: z.string().min(1) }),
    response: blobInfoSchema,
  },
  onComplete: {
    kind: "json",
    route: "on-complete",
    request: z.object({ instance: instanceSchema, item: processorItemSchema }),
    response: z.looseObject({}),
  },
  close: {
    kind: "json",
    route: "close",
    request: z.object({ instance: instanceSchema }),
    response: z.looseObject({}),
  },
} as const;
