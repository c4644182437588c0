// Shapes shared by several capabilities: typed specs, identities, blob metadata, descriptors on the wire.
import * as z from "zod";

/** A typed specification object (repository spec, access spec, credential config): `{type, ...}`. */
export const typedSpecSchema = z.looseObject({ type: z.string().min(1) });
export type TypedSpec = z.infer<typeof typedSpecSchema>;

/** An element or consumer identity: string keys to string values. */
export const identitySchema = z.record(z.string(), z.string());
export type Identity = z.infer<typeof identitySchema>;

export const digestStringSchema = z
  .string()
  .regex(/^sha(256|384|512):[a-f0-9]{64,128}$/, { message: "must be an OCI digest such as sha256:<64 hex>" });

/** Metadata that travels beside a blob's bytes. */
export const blobInfoSchema = z.object({
  mediaType: z.string().min(1),
  size: z.number().int().nonnegative().optional(),
  digest: digestStringSchema.optional(),
  /**
   * The name the blob's artifact goes by without its location (an image's `repository:tag`): a resource
   * read by value and stored as a local blob keeps it as the local blob's `referenceName`.
   */
  referenceName: z.string().min(1).optional(),
});
export type BlobInfo = z.infer<typeof blobInfoSchema>;

/** A component descriptor as it crosses the wire (v2 serialisation); the model validates it in full. */
export const wireDescriptorSchema = z.looseObject({
  meta: z.looseObject({ schemaVersion: z.string() }),
  component: z.looseObject({ name: z.string().min(1), version: z.string().min(1) }),
});
export type WireDescriptor = z.infer<typeof wireDescriptorSchema>;

/** A resource entry of a descriptor as it crosses the wire. */
export const wireResourceSchema = z.looseObject({
  name: z.string().min(1),
  version: z.string().optional(),
  type: z.string().min(1),
  extraIdentity: identitySchema.nullish(),
  access: typedSpecSchema,
});
export type WireResource = z.infer<typeof wireResourceSchema>;

/** The bytes of a blob: read once, in order, with backpressure. */
export type BlobContent = AsyncIterable<Uint8Array>;

/** A blob: its metadata and a single-use stream of its bytes. */
export interface Blob extends BlobInfo {
  content: BlobContent;
}

/** Options every capability call accepts. */
export interface CallOptions {
  signal?: AbortSignal | undefined;
  /**
   * Credentials for the target of this call (registry, store), resolved by the host from the consumer
   * identity of the call's repository or access. Keys as OCM names them: `username`, `password`,
   * `identityToken`, `accessToken`. Over a socket they travel in the `ocm-credentials` header, never in a body.
   */
  credentials?: Record<string, string> | undefined;
}

/** Error body of every non-2xx answer. */
export const wireErrorSchema = z.object({
  code: z.string().min(1),
  message: z.string(),
  hint: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** Answer of the health route. */
export const healthSchema = z.object({
  status: z.literal("ok"),
  id: z.string(),
  pid: z.number().int(),
  protocol: z.string(),
  name: z.string().optional(),
  version: z.string().optional(),
});
export type Health = z.infer<typeof healthSchema>;

/** Seed 000's ConnectionStatus: whether the plugin is connected to what it fronts. */
export const connectionStatusSchema = z.object({
  status: z.enum(["connected", "disconnected", "unknown"]),
  message: z.string().optional(),
});
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>;

/**
 * Seed 000's TestConnection: try a repository spec without doing any work. `write: true` asks the plugin to
 * also check that it may write there (a push started and cancelled), which a plain test must not do.
 */
export const testConnectionRequestSchema = z.object({
  type: z.string().min(1),
  spec: typedSpecSchema,
  write: z.boolean().optional(),
});
export type TestConnectionRequest = z.infer<typeof testConnectionRequestSchema>;

/** One check of a test-connection answer: `skip` for a check that was not asked for (e.g. push without write). */
export const connectionCheckSchema = z.object({
  name: z.string().min(1),
  status: z.enum(["pass", "fail", "skip"]),
  reason: z.string(),
});
export type ConnectionCheck = z.infer<typeof connectionCheckSchema>;

/** `ok` is false when a check failed; `checks` in the order they ran; `message` sums up (older plugins: only it). */
export const testConnectionResultSchema = z.object({
  ok: z.boolean(),
  message: z.string().optional(),
  checks: z.array(connectionCheckSchema).optional(),
});
export type TestConnectionResult = z.infer<typeof testConnectionResultSchema>;
