// The CommonTransportFormat/v1 repository specification: where the CTF lives, how it may be opened and
// in which format it is created. `fileFormat` is the Go tool's field name; `format` is accepted as well;
// without either, the name decides (`.tar`, `.tgz`, `.tar.gz`, else a directory).
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { OcmError } from "../../core/index.js";

/** The canonical type name of the CTF repository. */
export const CTF_TYPE = "CommonTransportFormat/v1";

const formatSchema = z.enum(["directory", "tar", "tgz"]);

/** Archive formats of a CTF on disk. */
export type CtfFormat = z.infer<typeof formatSchema>;

/** Zod schema of the repository specification. */
export const ctfSpecSchema = z.looseObject({
  type: z.string().min(1),
  filePath: z.string().min(1, { message: "must be the path of a CTF directory, tar or tgz" }),
  accessMode: z.enum(["readonly", "readwrite", "create"]).optional(),
  format: formatSchema.optional(),
  fileFormat: formatSchema.optional(),
});

/** JSON Schema of the repository specification, for the type definition. */
export const ctfSpecJsonSchema = z.toJSONSchema(ctfSpecSchema) as Record<string, unknown>;

/** A validated repository specification with an absolute path. */
export interface CtfSpec {
  path: string;
  accessMode: "readonly" | "readwrite" | "create";
  /** The format to create a missing CTF in: `fileFormat`, else by its name (`.tar`, `.tgz`, `.tar.gz`). */
  format: CtfFormat;
}

/** The format a CTF's name suggests: a tar or tgz archive by its suffix, else a directory. */
export function formatByName(path: string): CtfFormat {
  if (/\.(tgz|tar\.gz)$/i.test(path)) return "tgz";
  return /\.tar$/i.test(path) ? "tar" : "directory";
}

/** Validates a repository specification; a relative `filePath` is resolved against the working directory. */
export function parseCtfSpec(repository: unknown): CtfSpec {
  const result = ctfSpecSchema.safeParse(repository);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.length ? issue.path.map(String).join(".") : "(root)";
    throw new OcmError({
      code: "OCM_REPOSITORY_INVALID",
      message: `CTF repository specification: field ${path} ${issue?.message ?? "is invalid"} (${JSON.stringify(repository)})`,
      hint: 'Write {type: "CommonTransportFormat/v1", filePath: "<dir, .tar or .tgz>", accessMode?, fileFormat?}.',
      details: { path },
    });
  }
  const spec = result.data;
  const path = isAbsolute(spec.filePath) ? spec.filePath : resolve(process.cwd(), spec.filePath);
  return {
    path,
    accessMode: spec.accessMode ?? "readwrite",
    format: spec.fileFormat ?? spec.format ?? formatByName(path),
  };
}
