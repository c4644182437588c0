// The one error a built-in processor raises for a config it cannot use: the field and the bad value.
import { OcmError } from "../../core/index.js";

/** OCM_PROCESSOR_CONFIG_INVALID for `field` of the `type` processor's config. */
export function configError(type: string, field: string, value: unknown, expected: string): OcmError {
  return new OcmError({
    code: "OCM_PROCESSOR_CONFIG_INVALID",
    message: `${type} config: field ${field}: ${JSON.stringify(value)} ${expected}`,
    hint: `Correct ${field} in --processor ${type}='<json>' (docs/plugin-authors.md, "Processors").`,
    details: { field },
  });
}

/** A list of non-empty strings, or undefined when absent. */
export function stringList(type: string, field: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v !== "")) {
    throw configError(type, field, value, "is not a list of non-empty strings");
  }
  return value as string[];
}

/** The config as an object with only `allowed` keys. */
export function configObject(
  type: string,
  config: unknown,
  allowed: readonly string[],
): Record<string, unknown> {
  if (config === undefined || config === null) return {};
  if (typeof config !== "object" || Array.isArray(config)) {
    throw configError(type, "(root)", config, "is not a JSON object");
  }
  for (const key of Object.keys(config)) {
    if (!allowed.includes(key))
      throw configError(
        type,
        key,
        (config as Record<string, unknown>)[key],
        `is not a field (fields: ${allowed.join(", ")})`,
      );
  }
  return config as Record<string, unknown>;
}
