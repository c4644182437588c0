// The operations of each capability kind: route segment, transfer kind and zod schemas for both sides.
// The SDK's server, the manager's remote client and the in-process adapter are all driven by this table,
// so a capability's interface (core/capabilities) and its wire form cannot drift apart.
import { z } from "zod";
import {
  blobInfoSchema,
  digestStringSchema,
  identitySchema,
  typedSpecSchema,
  wireDescriptorSchema,
  wireResourceSchema,
} from "./common.js";

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

function op<K extends OperationKind, Q extends z.ZodType, R extends z.ZodType>(
  kind: K,
  route: string,
  request: Q,
  response: R,
) {
  return { kind, route, request, response } as const;
}

const componentVersionRef = {
  repository: typedSpecSchema,
  component: z.string().min(1),
  version: z.string().min(1),
};

export const componentVersionRepositoryOperations = {
  getComponentVersion: op(
    "json",
    "get-component-version",
    z.object(componentVersionRef),
    z.object({ descriptor: wireDescriptorSchema }),
  ),
  listComponentVersions: op(
    "json",
    "list-component-versions",
    z.object({ repository: typedSpecSchema, component: z.string().min(1) }),
    z.object({ versions: z.array(z.string()) }),
  ),
  addComponentVersion: op(
    "json",
    "add-component-version",
    z.object({
      repository: typedSpecSchema,
      descriptor: wireDescriptorSchema,
      /** Replace an existing version (e.g. to store a signature); without it an existing version is an error. */
      overwrite: z.boolean().optional(),
    }),
    z.object({}),
  ),
  getLocalBlob: op(
    "download",
    "get-local-blob",
    z.object({ ...componentVersionRef, localReference: z.string().min(1), mediaType: z.string().optional() }),
    blobInfoSchema,
  ),
  addLocalBlob: op(
    "upload",
    "add-local-blob",
    z.object({
      ...componentVersionRef,
      mediaType: z.string().min(1),
      digest: digestStringSchema.optional(),
      size: z.number().int().nonnegative().optional(),
    }),
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
    z.object({
      repository: typedSpecSchema,
      after: z.string().optional(),
      limit: z.number().int().positive().optional(),
    }),
    z.object({ components: z.array(z.string()), next: z.string().optional() }),
  ),
} as const;

const resourceContext = {
  repository: typedSpecSchema.optional(),
  component: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
};

export const resourceRepositoryOperations = {
  getResource: op("download", "get-resource", z.object({ ...resourceContext, resource: wireResourceSchema }), blobInfoSchema),
  addResource: op(
    "upload",
    "add-resource",
    z.object({ ...resourceContext, resource: wireResourceSchema, mediaType: z.string().min(1).optional() }),
    z.object({ resource: wireResourceSchema }),
  ),
} as const;

export const credentialRepositoryOperations = {
  consumerIdentity: op(
    "json",
    "consumer-identity",
    z.object({ config: typedSpecSchema }),
    z.object({ identity: identitySchema.nullable() }),
  ),
  resolve: op(
    "json",
    "resolve",
    z.object({ config: typedSpecSchema, identity: identitySchema }),
    z.object({ credentials: z.record(z.string(), z.string()).nullable() }),
  ),
} as const;

export const inputRepositoryOperations = {
  processInput: op(
    "download",
    "process-input",
    z.object({
      input: typedSpecSchema,
      /** Absolute directory that relative paths in the input are resolved against (the constructor's). */
      baseDir: z.string().min(1),
    }),
    blobInfoSchema,
  ),
} as const;

/** Operations per capability kind; kinds whose issues have not landed yet have none. */
export const OPERATIONS = {
  componentVersionRepository: componentVersionRepositoryOperations,
  componentLister: componentListerOperations,
  resourceRepository: resourceRepositoryOperations,
  credentialRepository: credentialRepositoryOperations,
  inputRepository: inputRepositoryOperations,
  signingHandler: {},
  blobTransformer: {},
  digestProcessor: {},
} as const satisfies Record<string, Record<string, OperationSpec>>;

export type OperationTable = typeof OPERATIONS;
