// Credentials/v1: credentials written directly into the ocm config (`properties`), as OCM's
// credentials.config.ocm.software consumers carry them.
import { z } from "zod";
import { invalidSpec } from "./spec-error.js";

/** The canonical type name of direct credentials. */
export const DIRECT_CREDENTIALS_TYPE = "Credentials/v1";

/** Zod schema of the specification. */
export const directCredentialsSchema = z.looseObject({
  type: z.string().min(1),
  properties: z.record(z.string(), z.string()),
});

/** JSON Schema of the specification, for the type definition. */
export const directCredentialsJsonSchema = z.toJSONSchema(directCredentialsSchema) as Record<string, unknown>;

/** The properties of a Credentials/v1 spec; null when it holds none. */
export function parseDirectCredentials(spec: unknown): Record<string, string> | null {
  const result = directCredentialsSchema.safeParse(spec);
  if (!result.success) {
    throw invalidSpec(
      "Credentials/v1 specification",
      result.error,
      'Write {type: "Credentials/v1", properties: {username: "...", password: "..."}} with string values.',
    );
  }
  const properties = result.data.properties;
  return Object.keys(properties).length ? { ...properties } : null;
}
