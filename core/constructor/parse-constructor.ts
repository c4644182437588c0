// Reads a constructor file's text into validated components, with errors naming the file and dot path.
import { parse } from "yaml";
import { OcmError } from "../errors.js";
import { componentConstructorSchema, type ComponentConstructor } from "./schema.js";

export function parseConstructor(text: string, options: { source?: string } = {}): ComponentConstructor {
  const source = options.source ?? "constructor";
  let raw: unknown;
  try {
    raw = parse(text, { schema: "core", prettyErrors: true });
  } catch (error) {
    throw new OcmError({
      code: "OCM_CONSTRUCTOR_INVALID",
      message: `${source}: not valid YAML: ${(error as Error).message.split("\n")[0]}`,
      hint: "Fix the YAML syntax at the line shown.",
      cause: error,
    });
  }
  if (raw === null || raw === undefined) {
    throw new OcmError({
      code: "OCM_CONSTRUCTOR_INVALID",
      message: `${source}: the constructor is empty`,
      hint: "A constructor lists `components:` each with name, version, provider and resources (input or access).",
      details: { source, path: "(root)" },
    });
  }
  const wrapped =
    raw && typeof raw === "object" && !Array.isArray(raw) && !("components" in raw)
      ? { components: [raw] }
      : raw;
  const result = componentConstructorSchema.safeParse(wrapped);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.length ? issue.path.join(".") : "(root)";
  throw new OcmError({
    code: "OCM_CONSTRUCTOR_INVALID",
    message: `${source}: field ${path}: ${issue?.message ?? "invalid"}`,
    hint: "A constructor lists `components:` each with name, version, provider and resources (input or access).",
    details: { source, path },
  });
}
