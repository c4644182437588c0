// Reads and validates a docker config.json: only the fields that carry credentials (`auths`,
// `credHelpers`, `credsStore`); everything else docker keeps there is ignored.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { OcmError } from "../../core/index.js";
import type { DockerConfigSpec } from "./docker-config-spec.js";
import { invalidSpec } from "./spec-error.js";

const authEntrySchema = z.looseObject({
  auth: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  identitytoken: z.string().optional(),
  registrytoken: z.string().optional(),
});

/** One `auths` entry of a docker config file. */
export type DockerAuthEntry = z.infer<typeof authEntrySchema>;

const dockerConfigFileSchema = z.looseObject({
  auths: z.record(z.string(), authEntrySchema).optional(),
  credHelpers: z.record(z.string(), z.string().min(1)).optional(),
  credsStore: z.string().optional(),
});

/** The credential-bearing part of a docker config file. */
export type DockerConfigFile = z.infer<typeof dockerConfigFileSchema>;

/**
 * Reads the config a spec names. A missing default file reads as empty (docker without a login);
 * a missing file named explicitly is an error.
 */
export async function readDockerConfig(spec: DockerConfigSpec): Promise<DockerConfigFile> {
  const source = spec.source;
  let text: string;
  let where: string;
  if ("inline" in source) {
    text = source.inline;
    where = "inline dockerConfig";
  } else {
    where = `docker config file ${source.file}`;
    try {
      text = await readFile(source.file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && !source.explicit) return {};
      throw new OcmError({
        code: "OCM_CREDENTIALS_READ_FAILED",
        message: `cannot read ${where}: ${code ?? (error as Error).message}`,
        hint: "Check dockerConfigFile in the DockerConfig/v1 spec and the file's permissions.",
        details: { path: source.file },
        cause: error,
      });
    }
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    // The parser's message quotes the text around the fault, which may be a password: leave it out.
    throw new OcmError({
      code: "OCM_CREDENTIALS_INVALID",
      message: `${where} is not valid JSON`,
      hint: "Fix the JSON syntax (`jq . <file>` shows where), or log in again with `docker login`.",
    });
  }
  const result = dockerConfigFileSchema.safeParse(document);
  if (!result.success) {
    throw invalidSpec(
      where,
      result.error,
      "A docker config holds auths, credHelpers and credsStore as docker writes them.",
    );
  }
  return result.data;
}
