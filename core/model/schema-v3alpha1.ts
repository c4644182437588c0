// Zod schema of the `ocm.software/v3alpha1` descriptor, an alternative serialisation that is converted to
// v2 on read (repositories hold v2). Element shapes are those of v2; references live in `spec.references`.
import { z } from "zod";
import { typedSpecSchema } from "../protocol/common.js";
import { COMPONENT_NAME_PATTERN } from "./patterns.js";
import {
  componentReferenceSchema,
  labelSchema,
  nestedDigestSchema,
  providerObjectSchema,
  resourceSchema,
  signatureSchema,
  sourceSchema,
} from "./schema-v2.js";

const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullable()
    .transform((v) => v ?? []);

/** The apiVersions that name the v3alpha1 form (the gardener one is its legacy spelling). */
export const V3ALPHA1_API_VERSIONS = ["ocm.software/v3alpha1", "ocm.gardener.cloud/v3alpha1"] as const;

/** A complete `ocm.software/v3alpha1` component descriptor. */
export const componentDescriptorV3alpha1Schema = z.object({
  apiVersion: z.enum(V3ALPHA1_API_VERSIONS, { message: "must be ocm.software/v3alpha1" }),
  kind: z.literal("ComponentVersion", { message: 'must be "ComponentVersion"' }),
  metadata: z.looseObject({
    name: z
      .string()
      .regex(COMPONENT_NAME_PATTERN, { message: "must be a component name such as acme.org/app" }),
    version: z.string().min(1),
    labels: list(labelSchema).optional(),
    provider: providerObjectSchema.optional(),
    creationTime: z.string().optional(),
  }),
  repositoryContexts: list(typedSpecSchema).optional(),
  spec: z
    .looseObject({
      resources: list(resourceSchema).optional(),
      sources: list(sourceSchema).optional(),
      references: list(componentReferenceSchema).optional(),
    })
    .nullish(),
  signatures: list(signatureSchema).optional(),
  nestedDigests: list(nestedDigestSchema).optional(),
});
export type ComponentDescriptorV3alpha1 = z.infer<typeof componentDescriptorV3alpha1Schema>;
