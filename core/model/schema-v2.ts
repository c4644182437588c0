// Zod schemas of the v2 component descriptor (`meta.schemaVersion: v2`), the form stored in repositories.
// They follow the v2 JSON schema (ocm resources/component-descriptor-v2-schema.yaml); where the Go tool
// is more lenient (a provider object, null lists) they accept what it accepts.
import { z } from "zod";
import { typedSpecSchema } from "../protocol/common.js";
import {
  COMPONENT_NAME_PATTERN,
  IDENTITY_KEY_PATTERN,
  LABEL_VERSION_PATTERN,
  RELAXED_SEMVER_PATTERN,
} from "./patterns.js";

const nonEmpty = z.string().min(1, { message: "must be a non-empty string" });
const relaxedSemver = z
  .string()
  .regex(RELAXED_SEMVER_PATTERN, { message: "must be a (relaxed) semantic version such as 1.2.3 or v1.2" });
const elementName = z
  .string()
  .regex(IDENTITY_KEY_PATTERN, { message: "must match ^[a-z0-9]([-_+a-z0-9]*[a-z0-9])?$" })
  .min(2, { message: "must have at least 2 characters" });
/** A list that Go may write as `null`; read as an empty list. */
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullable()
    .transform((v) => v ?? []);

/** Extra identity of an element: string keys to string values, never `name`. */
export const extraIdentitySchema = z
  .record(
    z.string().regex(IDENTITY_KEY_PATTERN, { message: "must be an identity key such as os or architecture" }),
    z.string(),
  )
  .refine((m) => !("name" in m), { message: "must not contain the key name" });

/** A label: name, any JSON value, optional spec version, `signing` to keep it in the signed digest. */
export const labelSchema = z.looseObject({
  name: nonEmpty,
  value: z.unknown().refine((v) => v !== undefined, { message: "is required" }),
  version: z.string().regex(LABEL_VERSION_PATTERN, { message: "must look like v1" }).optional(),
  signing: z.boolean().optional(),
  merge: z.object({ algorithm: z.string().optional(), config: z.unknown().optional() }).optional(),
});
export type Label = z.infer<typeof labelSchema>;

/** A digest: how the content was normalised and hashed, and the lowercase hex value. */
export const digestSpecSchema = z.object({
  hashAlgorithm: nonEmpty,
  normalisationAlgorithm: nonEmpty,
  value: nonEmpty,
});
export type DigestSpec = z.infer<typeof digestSpecSchema>;

/** An access specification `{type, ...}`; see access-types.ts for the types this toolkit knows. */
export const accessSpecSchema = typedSpecSchema;
export type AccessSpec = z.infer<typeof accessSpecSchema>;

const elementMeta = {
  name: elementName,
  version: relaxedSemver,
  extraIdentity: extraIdentitySchema.nullish(),
  labels: list(labelSchema).optional(),
};

/** A source reference of a resource. */
export const srcRefSchema = z.object({
  identitySelector: z.record(z.string(), z.string()).optional(),
  labels: list(labelSchema).optional(),
});

/** A resource: a delivery artifact of the component version. */
export const resourceSchema = z.looseObject({
  ...elementMeta,
  type: nonEmpty,
  relation: z.enum(["local", "external"]),
  srcRefs: list(srcRefSchema).optional(),
  access: accessSpecSchema,
  digest: digestSpecSchema.nullish(),
});
export type Resource = z.infer<typeof resourceSchema>;

/** A source: what the resources were built from. */
export const sourceSchema = z.looseObject({
  ...elementMeta,
  type: nonEmpty,
  access: accessSpecSchema,
});
export type Source = z.infer<typeof sourceSchema>;

/** A reference to another component version. */
export const componentReferenceSchema = z.object({
  ...elementMeta,
  componentName: z
    .string()
    .regex(COMPONENT_NAME_PATTERN, { message: "must be a component name such as acme.org/app" }),
  digest: digestSpecSchema.nullish(),
});
export type ComponentReference = z.infer<typeof componentReferenceSchema>;

/** A provider as an object (the v3alpha1 form, also accepted in v2 input). */
export const providerObjectSchema = z.looseObject({ name: nonEmpty, labels: list(labelSchema).optional() });
export type ProviderObject = z.infer<typeof providerObjectSchema>;

/** A signature over the normalised descriptor digest. */
export const signatureSchema = z.object({
  name: nonEmpty,
  digest: digestSpecSchema,
  signature: z.object({
    algorithm: nonEmpty,
    value: nonEmpty,
    mediaType: nonEmpty,
    issuer: z.string().optional(),
  }),
  timestamp: z.object({ value: z.string().optional(), time: z.unknown().optional() }).optional(),
});
export type Signature = z.infer<typeof signatureSchema>;

/** Digests of an aggregated component version and its resources. */
export const nestedDigestSchema = z.object({
  name: nonEmpty,
  version: nonEmpty,
  digest: digestSpecSchema.nullish(),
  resourceDigests: list(
    z.object({
      name: nonEmpty,
      version: z.string().optional(),
      extraIdentity: z.record(z.string(), z.string()).nullish(),
      digest: digestSpecSchema.nullish(),
    }),
  ).optional(),
});
export type NestedDigest = z.infer<typeof nestedDigestSchema>;

/** The `component` part of a v2 descriptor. */
export const componentSchema = z.looseObject({
  name: z
    .string()
    .regex(COMPONENT_NAME_PATTERN, { message: "must be a component name such as acme.org/app" }),
  version: relaxedSemver,
  creationTime: z.string().optional(),
  provider: z.union([nonEmpty, providerObjectSchema], {
    message: "must be a provider name or {name, labels}",
  }),
  labels: list(labelSchema).optional(),
  repositoryContexts: list(typedSpecSchema),
  resources: list(resourceSchema),
  sources: list(sourceSchema),
  componentReferences: list(componentReferenceSchema),
});
export type Component = z.infer<typeof componentSchema>;

/** A complete v2 component descriptor. */
export const componentDescriptorSchema = z.object({
  meta: z.object({ schemaVersion: z.literal("v2", { message: 'must be "v2"' }) }),
  component: componentSchema,
  signatures: list(signatureSchema).optional(),
  nestedDigests: list(nestedDigestSchema).optional(),
});
export type ComponentDescriptor = z.infer<typeof componentDescriptorSchema>;
