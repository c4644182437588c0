// The component constructor file (`ocm add component-version --constructor`), in OCM's format:
// a `components:` list (or one component at the top level) with resources given by `input` or `access`.
import { z } from "zod";

const identityKey = z.string().min(1);
const label = z.looseObject({ name: z.string().min(1), value: z.unknown() });
const typedSpec = z.looseObject({ type: z.string().min(1) });
const digestSpec = z.object({
  hashAlgorithm: z.string().min(1),
  normalisationAlgorithm: z.string().min(1),
  value: z.string().min(1),
});

export const constructorResourceSchema = z
  .looseObject({
    name: z.string().min(1),
    version: z.string().min(1).optional(),
    type: z.string().min(1),
    relation: z.enum(["local", "external"]).optional(),
    extraIdentity: z.record(identityKey, z.string()).optional(),
    labels: z.array(label).optional(),
    srcRefs: z.array(z.unknown()).optional(),
    input: typedSpec.optional(),
    access: typedSpec.optional(),
    digest: digestSpec.optional(),
  })
  .refine((r) => (r.input === undefined) !== (r.access === undefined), {
    message: "a resource needs exactly one of `input` or `access`",
  });

export const constructorSourceSchema = z
  .looseObject({
    name: z.string().min(1),
    version: z.string().min(1).optional(),
    type: z.string().min(1),
    extraIdentity: z.record(identityKey, z.string()).optional(),
    labels: z.array(label).optional(),
    input: typedSpec.optional(),
    access: typedSpec.optional(),
  })
  .refine((s) => (s.input === undefined) !== (s.access === undefined), {
    message: "a source needs exactly one of `input` or `access`",
  });

export const constructorReferenceSchema = z.looseObject({
  name: z.string().min(1),
  componentName: z.string().min(1),
  version: z.string().min(1),
  extraIdentity: z.record(identityKey, z.string()).optional(),
  labels: z.array(label).optional(),
  digest: digestSpec.optional(),
});

export const constructorComponentSchema = z.looseObject({
  name: z.string().min(1),
  version: z.string().min(1),
  provider: z.union([
    z.string().min(1),
    z.looseObject({ name: z.string().min(1), labels: z.array(label).optional() }),
  ]),
  labels: z.array(label).optional(),
  creationTime: z.string().optional(),
  resources: z.array(constructorResourceSchema).optional(),
  sources: z.array(constructorSourceSchema).optional(),
  componentReferences: z.array(constructorReferenceSchema).optional(),
  references: z.array(constructorReferenceSchema).optional(),
});

export const componentConstructorSchema = z.object({
  components: z.array(constructorComponentSchema).min(1),
});

export type ConstructorResource = z.infer<typeof constructorResourceSchema>;
export type ConstructorSource = z.infer<typeof constructorSourceSchema>;
export type ConstructorReference = z.infer<typeof constructorReferenceSchema>;
export type ConstructorComponent = z.infer<typeof constructorComponentSchema>;
export type ComponentConstructor = z.infer<typeof componentConstructorSchema>;
