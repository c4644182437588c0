// The JSON Schemas of the plugin contract, generated from the zod schemas in core/protocol, for plugin
// authors in other languages. `npm run schemas` writes them to schemas/; a test keeps them in sync.
import { z } from "zod";
import {
  OPERATIONS,
  capabilitiesDocumentSchema,
  connectionStatusSchema,
  healthSchema,
  readyLineSchema,
  registrationSchema,
  serverConfigSchema,
  serverSecretsSchema,
  testConnectionRequestSchema,
  testConnectionResultSchema,
  wireErrorSchema,
  type OperationSpec,
} from "../core/index.js";

/**
 * Every schema is what the receiving side accepts (zod's input form), so none says
 * `additionalProperties: false`: both sides ignore fields they do not know, whoever sends the document, so
 * that either may add optional fields within a major protocol version (ADR 0001, "Unknown fields").
 */
function toSchema(schema: z.ZodType, io: "input" | "output" = "input"): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
}

/** File name → JSON Schema document. */
export function contractSchemas(): Record<string, Record<string, unknown>> {
  const files: Record<string, Record<string, unknown>> = {
    "capabilities.schema.json": toSchema(capabilitiesDocumentSchema),
    "server-config.schema.json": toSchema(serverConfigSchema, "input"),
    "server-secrets.schema.json": toSchema(serverSecretsSchema, "input"),
    "ready-line.schema.json": toSchema(readyLineSchema),
    "error.schema.json": toSchema(wireErrorSchema),
    "health.schema.json": toSchema(healthSchema),
    "connection-status.schema.json": toSchema(connectionStatusSchema),
    "test-connection-request.schema.json": toSchema(testConnectionRequestSchema, "input"),
    "test-connection-result.schema.json": toSchema(testConnectionResultSchema),
    "registration.schema.json": toSchema(registrationSchema, "input"),
  };
  for (const [capability, operations] of Object.entries(OPERATIONS)) {
    for (const spec of Object.values(operations as Record<string, OperationSpec>)) {
      const base = `${capability}.${spec.route}`;
      files[`${base}.request.schema.json`] = { ...toSchema(spec.request, "input"), "x-ocm-kind": spec.kind };
      files[`${base}.response.schema.json`] = { ...toSchema(spec.response), "x-ocm-kind": spec.kind };
    }
  }
  return files;
}

/** The text a schema file holds: pretty JSON with a trailing newline. */
export function schemaFileText(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
