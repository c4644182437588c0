// Checks an action's data against the JSON Schema the plugin declares for it, before the plugin is called:
// a mistake in `--data` is reported by ocm with the field's dot path, and the plugin never sees it.
import { OcmError } from "../../../core/index.js";
import { compileSchema, describe, fieldOf, loadSchemaCompiler } from "../config/validate-plugin-config.js";

/** Throws OCM_ACTION_DATA_INVALID naming the plugin, the action and the first bad field. */
export async function validateActionData(
  pluginId: string,
  action: string,
  schema: Record<string, unknown> | undefined,
  data: unknown,
): Promise<void> {
  if (!schema) return;
  const validate = compileSchema(
    await loadSchemaCompiler(),
    pluginId,
    schema,
    `a schema for action ${action}`,
  );
  if (validate(data)) return;
  const error = validate.errors?.[0];
  const field = error ? fieldOf(error).join(".") || "(root)" : "(root)";
  const problem = !error
    ? "is invalid"
    : error.keyword === "additionalProperties"
      ? "is not a field of the action's schema"
      : describe(error);
  const more = (validate.errors?.length ?? 1) - 1;
  throw new OcmError({
    code: "OCM_ACTION_DATA_INVALID",
    message:
      `action ${action} of plugin ${pluginId}: data field ${field}: ${problem}` +
      (more > 0 ? ` (and ${more} more problem${more > 1 ? "s" : ""})` : ""),
    hint: `Correct --data; \`ocm plugin action ${pluginId} -o yaml\` shows the action's schema.`,
    details: { plugin: pluginId, action, field },
  });
}
