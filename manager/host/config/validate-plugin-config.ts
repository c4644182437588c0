// Checks a plugin's own configuration against the `configSchema` its capabilities document declares, before
// the plugin gets it: a mistake in the ocm config file is reported by ocm with the file and the field, not
// by a plugin that exits 78 at start. Values are never shown: a plugin's configuration may hold secrets.
// ajv (about 200 KB with its URI parser) is imported only when there is something to check (#15).
import type { Ajv as AjvDraft7, ErrorObject, ValidateFunction } from "ajv";
import type { Ajv2019 } from "ajv/dist/2019.js";
import type { Ajv2020 } from "ajv/dist/2020.js";
import { OcmError } from "../../../core/index.js";

/** ajv's validator classes, one per JSON Schema draft. */
export interface SchemaCompiler {
  Ajv: typeof AjvDraft7;
  Ajv2019: typeof Ajv2019;
  Ajv2020: typeof Ajv2020;
}

let compiler: Promise<SchemaCompiler> | undefined;

/** Imports ajv on the first call; later calls share that import. */
export function loadSchemaCompiler(): Promise<SchemaCompiler> {
  compiler ??= Promise.all([import("ajv"), import("ajv/dist/2019.js"), import("ajv/dist/2020.js")]).then(
    ([draft7, draft2019, draft2020]) => ({
      Ajv: draft7.Ajv,
      Ajv2019: draft2019.Ajv2019,
      Ajv2020: draft2020.Ajv2020,
    }),
  );
  return compiler;
}

/** Where a plugin's configuration was given, for messages. */
export interface PluginConfigSource {
  /** What gave it: `config file /home/me/.ocmconfig`, or `the pluginConfig option`. */
  origin: string;
  /** The dot path of the configuration itself there (`plugins.echo.config`). */
  field: string;
  /** The config file, when it came from one. */
  file?: string;
}

/**
 * Validates `config` for plugin `pluginId` against `schema`. Throws `OCM_PLUGIN_CONFIG_INVALID` naming the
 * plugin, where the configuration was given and the dot path of the first bad field; throws
 * `OCM_DISCOVERY_INVALID_CAPABILITIES` when the plugin's schema itself cannot be compiled.
 */
export function validatePluginConfig(
  ajv: SchemaCompiler,
  pluginId: string,
  schema: Record<string, unknown>,
  config: unknown,
  source: PluginConfigSource,
): void {
  const validate = compileSchema(ajv, pluginId, schema);
  if (validate(config)) return;
  const error = validate.errors?.[0];
  const inner = error ? fieldOf(error) : [];
  const field = [source.field, ...inner].join(".");
  const problems = validate.errors?.length ?? 1;
  throw new OcmError({
    code: "OCM_PLUGIN_CONFIG_INVALID",
    message:
      `plugin ${pluginId}: ${source.origin}: field ${field}: ${error ? describe(error) : "is invalid"}` +
      (problems > 1 ? ` (and ${problems - 1} more problem${problems > 2 ? "s" : ""})` : ""),
    hint: `Correct that field; \`ocm plugin info ${pluginId}\` shows the plugin's configSchema.`,
    details: { plugin: pluginId, field, ...(source.file === undefined ? {} : { path: source.file }) },
  });
}

/** Compiles a plugin's JSON Schema (`what` names it in the error: its configSchema, an action's schema). */
export function compileSchema(
  { Ajv, Ajv2019, Ajv2020 }: SchemaCompiler,
  pluginId: string,
  schema: Record<string, unknown>,
  what = "a configSchema",
): ValidateFunction {
  const options = { allErrors: true, strict: false, validateFormats: false, logger: false } as const;
  const draft = typeof schema["$schema"] === "string" ? schema["$schema"] : "";
  try {
    // Without `$schema`, 2020-12 (what zod's toJSONSchema and this project's own schemas use).
    if (draft === "" || draft.includes("2020-12")) return new Ajv2020(options).compile(schema);
    if (draft.includes("2019-09")) return new Ajv2019(options).compile(schema);
    // draft-07 and older: validated as draft-07, which they mostly are.
    return new Ajv({ ...options, validateSchema: false }).compile(schema);
  } catch (error) {
    throw new OcmError({
      code: "OCM_DISCOVERY_INVALID_CAPABILITIES",
      message: `plugin ${pluginId} declares ${what} that is not a usable JSON Schema: ${(error as Error).message}`,
      hint: "Report it to the plugin's author; until it is fixed, configure nothing for this plugin.",
      details: { plugin: pluginId },
      cause: error,
    });
  }
}

/** The dot path of the bad field below the configuration itself, naming a missing or unknown key too. */
export function fieldOf(error: ErrorObject): string[] {
  const path = error.instancePath
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "required" && typeof params["missingProperty"] === "string") {
    path.push(params["missingProperty"]);
  }
  if (error.keyword === "additionalProperties" && typeof params["additionalProperty"] === "string") {
    path.push(params["additionalProperty"]);
  }
  return path;
}

export function describe(error: ErrorObject): string {
  if (error.keyword === "required") return "is required";
  if (error.keyword === "additionalProperties") return "is not a field of the plugin's configSchema";
  return error.message ?? `fails ${error.keyword}`;
}
