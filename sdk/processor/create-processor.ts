// The SDK side of a processor (adr/0007-processors.md): keeps each chain entry's config by its instance
// name, and holds the bytes a processor gives for a blob in a temporary file until the host reads them,
// so a replaced blob is streamed both ways and never held in memory.
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { Processor } from "../../core/capabilities/processor.js";
import { createDigestMeter } from "../../core/digest-meter.js";
import { OcmError } from "../../core/errors.js";
import type { BlobContent, WireResource } from "../../core/protocol/common.js";
import type { ProcessAnswer, ProcessorItem, ReplacementBlob } from "../../core/protocol/processor.js";

/** One blob handed to `transformBlob`. */
export interface BlobToTransform<C> {
  config: C;
  component: string;
  version: string;
  resource: WireResource;
  mediaType: string;
  content: BlobContent;
}

/** What a processor author writes; everything but `process` is optional. */
export interface ProcessorHandlers<C> {
  /** Checks and converts the chain entry's config once, in `init`; throw an OcmError naming the bad field. */
  parseConfig?(config: unknown): C;
  /** One component version: answer `{}` to pass it on, or a changed descriptor, or `fail`. */
  process(item: ProcessorItem, config: C): Promise<ProcessAnswer> | ProcessAnswer;
  /** New bytes for a blob `process` asked to replace (`replaceBlobs`), or null to keep them. */
  transformBlob?(
    blob: BlobToTransform<C>,
  ):
    | Promise<{ mediaType?: string; content: BlobContent } | null>
    | { mediaType?: string; content: BlobContent }
    | null;
  /** The version as written to the target. */
  onComplete?(item: ProcessorItem, config: C): Promise<void> | void;
  /** The end of the chain entry's work. */
  close?(config: C): Promise<void> | void;
}

interface Instance<C> {
  config: C;
  dir?: string;
  blobs: Map<string, ReplacementBlob & { path: string }>;
}

/** A processor capability from handlers: register it as `capabilities: { processor }` of a type. */
export function createProcessor<C = unknown>(handlers: ProcessorHandlers<C>): Processor {
  const instances = new Map<string, Instance<C>>();
  // A host that restarted this process mid-transfer sends the config again with each call.
  const instanceOf = (name: string, config?: unknown): Instance<C> => {
    let instance = instances.get(name);
    if (!instance) {
      instance = { config: parse(handlers, config), blobs: new Map() };
      instances.set(name, instance);
    }
    return instance;
  };
  return {
    init: async ({ instance, config }) => {
      instances.set(instance, { config: parse(handlers, config), blobs: new Map() });
      return {};
    },
    process: async ({ instance, config, item }) =>
      handlers.process(item, instanceOf(instance, config).config),
    processBlob: async (request, content) => {
      const entry = instanceOf(request.instance, request.config);
      const transformed = handlers.transformBlob
        ? await handlers.transformBlob({ ...request, config: entry.config, content })
        : null;
      if (!transformed) {
        for await (const chunk of content) void chunk; // the host waits for its upload to be read
        return { blob: null };
      }
      entry.dir ??= await mkdtemp(join(tmpdir(), "ocm-processor-"));
      const id = randomUUID();
      const path = join(entry.dir, id);
      const meter = createDigestMeter();
      await pipeline(meter.pass(transformed.content), createWriteStream(path, { mode: 0o600 }));
      const blob = {
        id,
        mediaType: transformed.mediaType ?? request.mediaType,
        digest: meter.digest(),
        size: meter.size,
      };
      entry.blobs.set(id, { ...blob, path });
      return { blob };
    },
    readBlob: async ({ instance, id }) => {
      const blob = instances.get(instance)?.blobs.get(id);
      if (!blob) {
        throw new OcmError({
          code: "OCM_RPC_NOT_FOUND",
          message: `processor instance ${JSON.stringify(instance)} holds no replacement blob ${JSON.stringify(id)}`,
          hint: "The process was restarted since process-blob answered; run the transfer again.",
        });
      }
      return {
        mediaType: blob.mediaType,
        digest: blob.digest,
        size: blob.size,
        content: createReadStream(blob.path),
      };
    },
    onComplete: async ({ instance, item }) => {
      await handlers.onComplete?.(item, instanceOf(instance).config);
      return {};
    },
    close: async ({ instance }) => {
      const entry = instances.get(instance);
      if (!entry) return {};
      instances.delete(instance);
      if (entry.dir) await rm(entry.dir, { recursive: true, force: true });
      await handlers.close?.(entry.config);
      return {};
    },
  };
}

function parse<C>(handlers: ProcessorHandlers<C>, config: unknown): C {
  return handlers.parseConfig ? handlers.parseConfig(config) : (config as C);
}
