// Turns an operation table into the TypeScript interface both the in-process code and the remote client implement.
import type { z } from "zod";
import type { Blob, BlobContent, CallOptions } from "../protocol/common.js";

type MethodOf<O> = O extends {
  kind: "json";
  request: infer Q extends z.ZodType;
  response: infer R extends z.ZodType;
}
  ? (request: z.infer<Q>, options?: CallOptions) => Promise<z.infer<R>>
  : O extends { kind: "download"; request: infer Q extends z.ZodType }
    ? (request: z.infer<Q>, options?: CallOptions) => Promise<Blob>
    : O extends { kind: "upload"; request: infer Q extends z.ZodType; response: infer R extends z.ZodType }
      ? (request: z.infer<Q>, content: BlobContent, options?: CallOptions) => Promise<z.infer<R>>
      : never;

/** The methods of a capability, one per operation of its table. */
export type CapabilityInterface<T> = { [K in keyof T]: MethodOf<T[K]> };
