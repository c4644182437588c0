// The `capabilities` document a plugin prints: the ADR's `{"type": {"<Type>": ["<capability>"]}}` shape,
// plus optional metadata (seed 001's Metadata()/Config()): name, version, protocol, aliases and JSON Schemas.
import * as z from "zod";
import { isSemver } from "./version.js";

/** Capability kinds, named as OCM names them. */
export const CAPABILITY_KINDS = [
  "componentVersionRepository",
  "componentLister",
  "resourceRepository",
  "credentialRepository",
  "inputRepository",
  "signingHandler",
  "blobTransformer",
  "digestProcessor",
] as const;

export type CapabilityKind = (typeof CAPABILITY_KINDS)[number];

export const capabilityKindSchema = z.enum(CAPABILITY_KINDS);

const semverString = z.string().refine(isSemver, { message: "must be a semantic version" });
const typeName = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*$/, {
    message: "must be a type name such as CommonTransportFormat/v1",
  });
const jsonSchemaObject = z.record(z.string(), z.unknown());

export const capabilitiesDocumentSchema = z
  .object({
    type: z
      .record(typeName, z.array(capabilityKindSchema).min(1))
      .refine((types) => Object.keys(types).length > 0, { message: "must declare at least one type" }),
    name: z.string().min(1).optional(),
    version: semverString.optional(),
    protocol: semverString.optional(),
    description: z.string().optional(),
    aliases: z.record(typeName, z.array(typeName)).optional(),
    schemas: z.record(typeName, jsonSchemaObject).optional(),
    configSchema: jsonSchemaObject.optional(),
    connection: z.object({ status: z.boolean().optional(), test: z.boolean().optional() }).optional(),
  })
  .meta({ title: "OCM plugin capabilities", description: "Printed by `<plugin> capabilities` on stdout." });

export type CapabilitiesDocument = z.infer<typeof capabilitiesDocumentSchema>;
