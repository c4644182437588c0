// The operations of each capability kind: route segment, transfer kind and zod schemas for both sides.
// The SDK's server, the manager's remote client and the in-process adapter are all driven by this table,
// so a capability's interface (core/capabilities) and its wire form cannot drift apart.
import * as z from "zod";
import {
  blobInfoSchema,
  digestStringSchema,
  identitySchema,
  typedSpecSchema,
  wireDescriptorSchema,
  wireResourceSchema,
} from "./common.js";
import { actionOperations } from "./actions.js";
import { eventHandlerOperations } from "./events.js";
import { processorOperations } from "./processor.js";

/**
 * json: JSON request body → JSON response body.
 * download: JSON request body → streamed response body, blob metadata in the `ocm-blob` header.
 * upload: streamed request body, request in the `ocm-request` header → JSON response body.
 */
export type OperationKind = "json" | "download" | "upload";

export interface OperationSpec {
  kind: OperationKind;
  route: string;
  request: z.ZodType;
  response: z.ZodType;
}

/**
 * One operation. Its schemas are built on first use: a plugin process serves a few operations of a few
 * capabilities, and building every schema of the table would be part of each plugin's start.
 */
function op<K extends OperationKind, Q extends z.ZodType, R extends z.ZodType>(
  kind: K,
  route: string,
  request: () => Q,
  response: () => R,
) {
  let requestSchema: Q | undefined;
  let responseSchema: R | undefined;
  return {
    kind,
    route,
    get request(): Q {
      return (requestSchema ??= request());
    },
    get response(): R {
      return (responseSchema ??= response());
    },
  } as const;
}

const componentVersionRef = () => ({
  repository: typedSpecSchema,
  component: z.string().min(1),
  version: z.string().min(1),
});

export const componentVersionRepositoryOperations = {
  getComponentVersion: op(
    "json",
    "get-component-version",
    () => z.object(componentVersionRef()),
    () => z.object({ descriptor: wireDescriptorSchema }),
  ),
  listComponentVersions: op(
    "json",
    "list-component-versions",
    () => z.object({ repository: typedSpecSchema, component: z.string().min(1) }),
    () => z.object({ versions: z.array(z.string()) }),
  ),
  addComponentVersion: op(
    "json",
    "add-component-version",
    () =>
      z.object({
        repository: typedSpecSchema,
        descriptor: wireDescriptorSchema,
        /** Replace an existing version (e.g. to store a signature); without it an existing version is an error. */
        overwrite: z.boolean().optional(),
      }),
    () => z.object({}),
  ),
  getLocalBlob: op(
    "download",
    "get-local-blob",
    () =>
      z.object({
        ...componentVersionRef(),
        localReference: z.string().min(1),
        mediaType: z.string().optional(),
      }),
    () => blobInfoSchema,
  ),
  addLocalBlob: op(
    "upload",
    "add-local-blob",
    () =>
      z.object({
        ...componentVersionRef(),
        mediaType: z.string().min(1),
        digest: digestStringSchema.optional(),
        size: z.number().int().nonnegative().optional(),
        /**
         * The component version whose local blob this is, when it is copied from another repository. A
         * target that reaches that repository itself may take the blob from there without reading the
         * stream (a registry mounts it from another of its repositories); any other target ignores it.
         */
        source: z
          .object({ repository: typedSpecSchema, component: z.string().min(1), version: z.string().min(1) })
          .optional(),
      }),
    () =>
      z.object({
        localReference: z.string().min(1),
        mediaType: z.string().min(1),
        digest: digestStringSchema,
        size: z.number().int().nonnegative(),
      }),
  ),
} as const;

export const componentListerOperations = {
  listComponents: op(
    "json",
    "list-components",
    () =>
      z.object({
        repository: typedSpecSchema,
        after: z.string().optional(),
        limit: z.number().int().positive().optional(),
      }),
    () => z.object({ components: z.array(z.string()), next: z.string().optional() }),
  ),
} as const;

const resourceContext = () => ({
  repository: typedSpecSchema.optional(),
  component: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
});

export const resourceRepositoryOperations = {
  getResource: op(
    "download",
    "get-resource",
    () => z.object({ ...resourceContext(), resource: wireResourceSchema }),
    () => blobInfoSchema,
  ),
  addResource: op(
    "upload",
    "add-resource",
    () =>
      z.object({
        ...resourceContext(),
        resource: wireResourceSchema,
        mediaType: z.string().min(1).optional(),
      }),
    () => z.object({ resource: wireResourceSchema }),
  ),
} as const;

export const credentialRepositoryOperations = {
  consumerIdentity: op(
    "json",
    "consumer-identity",
    () => z.object({ config: typedSpecSchema }),
    () => z.object({ identity: identitySchema.nullable() }),
  ),
  resolve: op(
    "json",
    "resolve",
    () => z.object({ config: typedSpecSchema, identity: identitySchema }),
    () =>
      z.object({
        credentials: z.record(z.string(), z.string()).nullable(),
        /** Where the answer came from, for people (`ocm get credentials`): a file, a helper; never a secret. */
        source: z.string().min(1).optional(),
      }),
  ),
} as const;

/**
 * consumerIdentity: the route's type is a repository or access type. Before a call that has a spec of that
 * type as its target, the host asks whom to ask for credentials: the consumer identity (a flat string map,
 * e.g. `{type, hostname, port?, pathprefix?}`) it looks up in the credential sources, or `null` when the
 * spec needs none. A type no plugin serves this for gets no credentials (ADR 0006).
 */
export const consumerIdentityOperations = {
  consumerIdentity: op(
    "json",
    "consumer-identity",
    () => z.object({ spec: typedSpecSchema }),
    () => z.object({ identity: identitySchema.nullable() }),
  ),
} as const;

export const inputRepositoryOperations = {
  processInput: op(
    "download",
    "process-input",
    () =>
      z.object({
        input: typedSpecSchema,
        /** Absolute directory that relative paths in the input are resolved against (the constructor's). */
        baseDir: z.string().min(1),
      }),
    () => blobInfoSchema,
  ),
} as const;

/** A digest to sign: the hash algorithm (`SHA-256`, `SHA-512`; legacy `sha256`, `sha512`) and its lowercase hex value. */
export const signedDigestSchema = z.object({
  hashAlgorithm: z.string().min(1),
  value: z.string().regex(/^[0-9a-f]+$/, { message: "must be lowercase hex" }),
});

/** A signature as a descriptor stores it (`signatures[].signature`). */
export const signatureValueSchema = z.object({
  algorithm: z.string().min(1),
  mediaType: z.string().min(1),
  value: z.string().min(1),
  /** Distinguished name (RFC 2253) of the signer's certificate, when the signature carries one. */
  issuer: z.string().optional(),
});
export type SignatureValue = z.infer<typeof signatureValueSchema>;

/**
 * signingHandler: the route's type is the signature algorithm (e.g. `RSASSA-PSS`). Keys and certificates
 * travel as PEM text. The handler signs the digest as given (it never hashes it again).
 */
export const signingHandlerOperations = {
  sign: op(
    "json",
    "sign",
    () =>
      z.object({
        digest: signedDigestSchema,
        /** The private key, PEM (PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`). */
        privateKey: z.string().min(1),
        /** The signer's certificate first, then intermediates, PEM; the signature then carries the chain. */
        certificateChain: z.string().min(1).optional(),
        /** Trusted roots (PEM) the chain must lead to before a signature is made with it. */
        rootCertificates: z.string().min(1).optional(),
        /** The expected subject of the signer's certificate (RFC 2253); checked when a chain is given. */
        issuer: z.string().min(1).optional(),
      }),
    () => z.object({ signature: signatureValueSchema }),
  ),
  verify: op(
    "json",
    "verify",
    () =>
      z.object({
        digest: signedDigestSchema,
        signature: signatureValueSchema,
        /** The public key or certificate, PEM (PKCS#1 `RSA PUBLIC KEY`, PKIX `PUBLIC KEY`, `CERTIFICATE`). */
        publicKey: z.string().min(1).optional(),
        /** Trusted roots (PEM): a signature carrying a certificate chain is accepted if the chain leads to one. */
        rootCertificates: z.string().min(1).optional(),
      }),
    () =>
      z.object({
        ok: z.boolean(),
        /** Why verification failed: the signature value, the certificate chain, or the issuer name. */
        reason: z.enum(["signature", "certificate", "issuer"]).optional(),
        message: z.string().optional(),
      }),
  ),
} as const;

/**
 * blobTransformer, served for two kinds of route type:
 * - a resource type (artifact type, e.g. `helmChart`): when a transfer stores a resource of that type as a
 *   local blob, the host streams the blob's bytes to `transform-blob`; the plugin may answer another form of
 *   it to store beside it (an artifact, base64, bounded by the host's response size limit, with the name
 *   to store it under, `referenceName`, e.g. `podinfo:6.5.0`), or `artifact: null`. The host places that
 *   form in the target as below and records the access it gets as the local blob's `globalAccess`.
 * - a repository type (e.g. the target's `OCIRegistry/v1`): when a transfer copies a blob into a
 *   repository of that type, the host asks `place-blob` how to store it. The plugin answers an access spec
 *   (the host then hands the bytes to that access type's resourceRepository `add-resource` and records the
 *   access it answers in place of the local blob), or `access: null` to keep it a local blob.
 */
export const blobTransformerOperations = {
  transformBlob: op(
    "upload",
    "transform-blob",
    () =>
      z.object({
        ...resourceContext(),
        resource: wireResourceSchema,
        mediaType: z.string().min(1),
        /** The repository the blob is being stored in. */
        target: typedSpecSchema,
      }),
    () =>
      z.object({
        artifact: z
          .object({
            referenceName: z.string().min(1),
            mediaType: z.string().min(1),
            /** The artifact's bytes, base64. */
            data: z.string().min(1),
          })
          .nullable(),
      }),
  ),
  placeBlob: op(
    "json",
    "place-blob",
    () =>
      z.object({
        /** The repository the blob is being copied into; the route's type is its type. */
        target: typedSpecSchema,
        component: z.string().min(1),
        version: z.string().min(1),
        /** The resource as the source descriptor has it (its original access included). */
        resource: wireResourceSchema,
        mediaType: z.string().min(1),
        /** The name the blob's artifact goes by without its location (a local blob's `referenceName`). */
        referenceName: z.string().min(1).optional(),
      }),
    () => z.object({ access: typedSpecSchema.nullable() }),
  ),
} as const;

/** A resource digest as a descriptor records it. */
export const resourceDigestSchema = z.object({
  hashAlgorithm: z.string().min(1),
  normalisationAlgorithm: z.string().min(1),
  value: z.string().regex(/^[0-9a-f]+$/, { message: "must be lowercase hex" }),
});

const digestAlgorithms = () => ({
  /** The hash algorithm to compute with (the stored digest's); without it the processor chooses. */
  hashAlgorithm: z.string().min(1).optional(),
  /** The normalisation algorithm to compute with (the stored digest's); without it the processor chooses. */
  normalisationAlgorithm: z.string().min(1).optional(),
});

/**
 * digestProcessor: computes a resource's digest in its technology's own way (an OCI artifact's digest is
 * its manifest's). The route's type is an access type for `digest-resource` (the plugin reads what it
 * needs itself) or the media type of a local blob for `digest-blob` (the host streams the blob's bytes).
 * Given algorithms must be used or refused with OCM_SIGNING_DIGEST_UNSUPPORTED; the host compares the
 * answer with the stored digest itself.
 */
export const digestProcessorOperations = {
  digestResource: op(
    "json",
    "digest-resource",
    () => z.object({ ...resourceContext(), resource: wireResourceSchema, ...digestAlgorithms() }),
    () => z.object({ digest: resourceDigestSchema }),
  ),
  digestBlob: op(
    "upload",
    "digest-blob",
    () =>
      z.object({
        ...resourceContext(),
        resource: wireResourceSchema,
        mediaType: z.string().min(1),
        ...digestAlgorithms(),
      }),
    () => z.object({ digest: resourceDigestSchema }),
  ),
} as const;

/** Operations per capability kind. */
export const OPERATIONS = {
  componentVersionRepository: componentVersionRepositoryOperations,
  componentLister: componentListerOperations,
  resourceRepository: resourceRepositoryOperations,
  credentialRepository: credentialRepositoryOperations,
  inputRepository: inputRepositoryOperations,
  signingHandler: signingHandlerOperations,
  blobTransformer: blobTransformerOperations,
  digestProcessor: digestProcessorOperations,
  eventHandler: eventHandlerOperations,
  consumerIdentity: consumerIdentityOperations,
  processor: processorOperations,
  action: actionOperations,
} as const satisfies Record<string, Record<string, OperationSpec>>;

export type OperationTable = typeof OPERATIONS;
