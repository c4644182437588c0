// The `capabilities` document a plugin prints: the ADR's `{"type": {"<Type>": ["<capability>"]}}` shape,
// plus optional metadata (seed 001's Metadata()/Config()): name, version, protocol, aliases and JSON Schemas.
import * as z from "zod";
import { actionDeclarationSchema, actionNameSchema } from "./actions.js";
import { eventTypeSchema } from "./events.js";
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
  "consumerIdentity",
  "eventHandler",
  "processor",
  "action",
] as const;

export type CapabilityKind = (typeof CAPABILITY_KINDS)[number];

export const capabilityKindSchema = z.enum(CAPABILITY_KINDS);

const semverString = z.string().refine(isSemver, { message: "must be a semantic version" });
const typeName = z
  .string()
  .min(1)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/+]*$/, {
    message: "must be a type name such as Name/v1 (or, for a digestProcessor, a media type)",
  });
const jsonSchemaObject = z.record(z.string(), z.unknown());

/** An ECMAScript regular expression, matched case-insensitively against a whole string. */
const referencePattern = z
  .string()
  .min(1)
  .refine(
    (pattern) => {
      try {
        new RegExp(pattern, "i");
        return true;
      } catch {
        return false;
      }
    },
    { message: "must be an ECMAScript regular expression" },
  );

/**
 * How `ocm` references name repositories of one type (`<type-or-alias>::<spec>[//<component>[:<version>]]`):
 * which spec a bare string after `::` stands for, and which prefix-less references are of this type.
 */
export const referenceSyntaxSchema = z
  .object({
    syntax: z.string().optional().meta({
      description: "The bare string form for messages, e.g. `[http(s)://]<host>[:<port>][/<path>]`.",
    }),
    refuse: z
      .array(z.object({ pattern: referencePattern, message: z.string().min(1), hint: z.string().optional() }))
      .optional()
      .meta({ description: "Bare strings refused with a message (`{group}` is replaced), tried first." }),
    forms: z
      .array(z.object({ pattern: referencePattern, spec: z.record(z.string(), z.string()) }))
      .optional()
      .meta({
        description:
          "Bare string forms, tried in order: the first pattern that matches makes the spec; `{group}` in a value is replaced by the named group; a field that ends up empty is left out.",
      }),
    field: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "The spec field a bare string fills when no form matches, e.g. `path`." }),
    guess: z
      .array(z.object({ pattern: referencePattern, priority: z.number().int() }))
      .optional()
      .meta({
        description:
          "Prefix-less references of this type: the matching pattern with the highest priority picks the type.",
      }),
    create: z.record(z.string(), z.string()).optional().meta({
      description:
        "Fields a command that may create a missing repository (the target of a transfer, add with `--create`) adds to the spec where it has none; `{format}` is replaced by the format asked for (`--type`), and a field that ends up empty is left out.",
    }),
  })
  .meta({ title: "Reference syntax of a repository type" });

export type ReferenceSyntax = z.infer<typeof referenceSyntaxSchema>;

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
    references: z.record(typeName, referenceSyntaxSchema).optional(),
    configSchema: jsonSchemaObject.optional(),
    connection: z.object({ status: z.boolean().optional(), test: z.boolean().optional() }).optional(),
    events: z
      .record(typeName, z.array(eventTypeSchema).min(1))
      .optional()
      .meta({ description: "Per eventHandler type: the event types it subscribes to." }),
    actions: z.record(typeName, z.record(actionNameSchema, actionDeclarationSchema)).optional().meta({
      description: "Per type with the action capability: its actions by name (unique in the plugin).",
    }),
  })
  .meta({ title: "OCM plugin capabilities", description: "Printed by `<plugin> capabilities` on stdout." });

export type CapabilitiesDocument = z.infer<typeof capabilitiesDocumentSchema>;
