// The ComponentArchive/v1 repository specification, with the Go tool's field names: `filePath`, `accessMode`
// (a name, or the Go tool's number: 0 read-write, 1 read-only, 2 create) and `fileFormat`.
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { OcmError } from "../../core/index.js";

/** The canonical type name of the Component Archive repository (the Go tool writes `ComponentArchive`). */
export const COMPARCH_TYPE = "ComponentArchive/v1";

const formatSchema = z.enum(["directory", "tar", "tgz"]);

/** The forms a Component Archive takes on disk. */
export type ComparchFormat = z.infer<typeof formatSchema>;

/** Zod schema of the repository specification. */
export const comparchSpecSchema = z.looseObject({
  type: z.string().min(1),
  filePath: z.string().min(1, { message: "must be the path of a component archive directory, tar or tgz" }),
  accessMode: z
    .union([z.enum(["readonly", "readwrite", "create"]), z.number().int().min(0).max(3)])
    .optional(),
  fileFormat: formatSchema.optional(),
  format: formatSchema.optional(),
});

/** JSON Schema of the repository specification, for the type definition. */
export const comparchSpecJsonSchema = z.toJSONSchema(comparchSpecSchema) as Record<string, unknown>;

/** A validated specification with an absolute path. */
export interface ComparchSpec {
  path: string;
  readonly: boolean;
  /** The format a missing archive is created in: `fileFormat`, else by its name (`.tar`, `.tgz`, `.tar.gz`). */
  format: ComparchFormat;
}

function formatByName(path: string): ComparchFormat {
  if (/\.(tgz|tar\.gz)$/i.test(path)) return "tgz";
  return /\.tar$/i.test(path) ? "tar" : "directory";
}

/** Validates a repository specification; a relative `filePath` is resolved against the working directory. */
export function parseComparchSpec(repository: unknown): ComparchSpec {
  const result = comparchSpecSchema.safeParse(repository);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.length ? issue.path.map(String).join(".") : "(root)";
    throw new OcmError({
      code: "OCM_REPOSITORY_INVALID",
      message: `component archive repository specification: field ${path} ${issue?.message ?? "is invalid"} (${JSON.stringify(repository)})`,
      hint: 'Write {type: "ComponentArchive/v1", filePath: "<dir, .tar or .tgz>", accessMode?, fileFormat?}.',
      details: { path },
    });
  }
  const spec = result.data;
  const path = isAbsolute(spec.filePath) ? spec.filePath : resolve(process.cwd(), spec.filePath);
  const mode = spec.accessMode;
  // Go's accessobj flags: ACC_READONLY is bit 0 (1, and 3 = read-only|create).
  const readonly = mode === "readonly" || (typeof mode === "number" && (mode & 1) === 1);
  return { path, readonly, format: spec.fileFormat ?? spec.format ?? formatByName(path) };
}
