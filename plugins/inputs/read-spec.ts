// Validation of an input spec with errors that name the input type and the bad field.
import type { z } from "zod";
import { OcmError } from "../../core/index.js";

export function readSpec<T extends z.ZodType>(schema: T, input: unknown, type: string): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.join(".") || "(root)";
  throw new OcmError({
    code: "OCM_INPUT_INVALID",
    message: `invalid ${type} input: field ${path}: ${issue?.message ?? "invalid"}`,
    hint: `See docs/inputs.md for the fields of the ${type} input.`,
    details: { path },
  });
}
