// The DockerConfig/v1 credential repository specification: which docker config file to read (or an
// inline one), and where docker itself would look when none is named.
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { invalidSpec } from "./spec-error.js";

/** The canonical type name of the docker config credential repository. */
export const DOCKER_CONFIG_TYPE = "DockerConfig/v1";

/** Default bound on one run of a `docker-credential-<name>` helper. */
export const DEFAULT_HELPER_TIMEOUT_MS = 10_000;

/** Zod schema of the specification. */
export const dockerConfigSpecSchema = z.looseObject({
  type: z.string().min(1),
  /** Path of a docker config.json; `~` is expanded. */
  dockerConfigFile: z.string().min(1).optional(),
  /** A whole docker config.json, inline as a JSON string (OCM's `dockerConfig` field). */
  dockerConfig: z.string().min(1).optional(),
  /** OCM v1: offer the file's entries to every matching consumer. Default true. */
  propagateConsumerIdentity: z.boolean().optional(),
  /** Bound on one credential helper run, in milliseconds. */
  helperTimeout: z.number().int().positive().optional(),
});

/** JSON Schema of the specification, for the type definition. */
export const dockerConfigSpecJsonSchema = z.toJSONSchema(dockerConfigSpecSchema) as Record<string, unknown>;

/** A validated specification: either a file to read or inline JSON text. */
export interface DockerConfigSpec {
  source: { file: string; explicit: boolean } | { inline: string };
  helperTimeoutMs: number;
}

/**
 * Validates a DockerConfig/v1 spec. Without a file or inline config, docker's own default applies:
 * `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`.
 */
export function parseDockerConfigSpec(
  spec: unknown,
  env: Record<string, string | undefined> = process.env,
  home: string = homedir(),
): DockerConfigSpec {
  const result = dockerConfigSpecSchema.safeParse(spec);
  if (!result.success) {
    throw invalidSpec(
      "DockerConfig/v1 specification",
      result.error,
      'Write {type: "DockerConfig/v1", dockerConfigFile?: "<path of config.json>", propagateConsumerIdentity?: true}.',
    );
  }
  const data = result.data;
  const helperTimeoutMs = data.helperTimeout ?? DEFAULT_HELPER_TIMEOUT_MS;
  if (data.dockerConfig !== undefined) return { source: { inline: data.dockerConfig }, helperTimeoutMs };
  if (data.dockerConfigFile !== undefined) {
    return { source: { file: expandHome(data.dockerConfigFile, home), explicit: true }, helperTimeoutMs };
  }
  return { source: { file: defaultDockerConfigFile(env, home), explicit: false }, helperTimeoutMs };
}

/** Where docker keeps its config file: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function defaultDockerConfigFile(env: Record<string, string | undefined>, home: string): string {
  const dir = env["DOCKER_CONFIG"];
  return dir ? join(expandHome(dir, home), "config.json") : join(home, ".docker", "config.json");
}

function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return path;
}
