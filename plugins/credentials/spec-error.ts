// Turns a failed zod parse of a credentials spec into an OcmError naming the bad field, never its value
// (a spec may hold a password).
import type { z } from "zod";
import { OcmError } from "../../core/index.js";

/** An OCM_CREDENTIALS_INVALID error for the first issue of `error`, with the field's dot path. */
export function invalidSpec(what: string, error: z.ZodError, hint: string): OcmError {
  const issue = error.issues[0];
  const field = issue?.path.length ? issue.path.map(String).join(".") : "(root)";
  return new OcmError({
    code: "OCM_CREDENTIALS_INVALID",
    message: `${what}: field ${field} ${issue?.message ?? "is invalid"}`,
    hint,
    details: { field },
  });
}
