// The credentials.config.ocm.software entries of the ocm config: consumers (identities with their
// credentials) and credential repositories, validated once. Messages name fields, never values.
import { z } from "zod";
import { OcmError, typedSpecSchema, type Identity, type TypedSpec } from "../../../core/index.js";
import type { OcmConfig } from "../config/load-config.js";

/** Types of OCM's credentials configuration entry. */
export const CREDENTIALS_CONFIG_TYPES: readonly string[] = [
  "credentials.config.ocm.software",
  "credentials.config.ocm.software/v1",
];

/** A consumer: the identities it serves and the credential specs tried in order. */
export interface CredentialConsumer {
  identities: Identity[];
  credentials: TypedSpec[];
}

/** Every consumer and credential repository of the ocm config, in file order. */
export interface CredentialConfig {
  consumers: CredentialConsumer[];
  repositories: TypedSpec[];
}

// YAML reads `port: 5000` as a number; an identity holds strings.
const identitySchema = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean()]).transform((value) => String(value)),
);

const consumerSchema = z.looseObject({
  identity: identitySchema.optional(),
  identities: z.array(identitySchema).optional(),
  credentials: z.array(typedSpecSchema),
});

const entrySchema = z.looseObject({
  type: z.string(),
  consumers: z.array(consumerSchema).optional(),
  repositories: z.array(z.looseObject({ repository: typedSpecSchema })).optional(),
});

/** Collects the credentials entries of `config`; other entries are left to their own readers. */
export function readCredentialConfig(config: OcmConfig): CredentialConfig {
  const consumers: CredentialConsumer[] = [];
  const repositories: TypedSpec[] = [];
  let index = 0;
  for (const entry of config.entries) {
    const type = (entry as { type?: unknown } | null)?.type;
    if (typeof type !== "string" || !CREDENTIALS_CONFIG_TYPES.includes(type)) continue;
    const result = entrySchema.safeParse(entry);
    if (!result.success) throw invalidEntry(config.path, index, result.error);
    index++;
    for (const consumer of result.data.consumers ?? []) {
      const identities = [...(consumer.identity ? [consumer.identity] : []), ...(consumer.identities ?? [])];
      consumers.push({ identities, credentials: consumer.credentials });
    }
    for (const repository of result.data.repositories ?? []) repositories.push(repository.repository);
  }
  return { consumers, repositories };
}

function invalidEntry(file: string | undefined, index: number, error: z.ZodError): OcmError {
  const issue = error.issues[0];
  const field = issue?.path.length ? issue.path.map(String).join(".") : "(root)";
  return new OcmError({
    code: "OCM_CREDENTIALS_INVALID",
    message: `credentials entry ${index + 1} of ${file ?? "the ocm config"}: field ${field} ${issue?.message ?? "is invalid"}`,
    hint:
      "Write consumers: [{identity: {type: <consumer type>, hostname: ...}, credentials: [{type: Credentials/v1, " +
      "properties: {...}}]}] and repositories: [{repository: {type: <credential repository type>, ...}}].",
    details: { field, ...(file ? { path: file } : {}) },
  });
}
