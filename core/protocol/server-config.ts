// The server config of `<plugin> server --config '<json>'` (the ADR's Config) and the secrets line the host
// writes on the plugin's stdin: argv is readable by every local user (/proc/<pid>/cmdline), so the per-launch
// secret and the plugin's own config never go there (#10).
import * as z from "zod";

/** The value of `secrets` in the server config when the secrets line follows on stdin. */
export const SECRETS_ON_STDIN = "stdin";

/** Bound on the secrets line, newline included. */
export const SECRETS_LINE_MAX_BYTES = 1 << 20;

export const serverConfigSchema = z
  .object({
    id: z.string().min(1),
    type: z.enum(["unix", "tcp"]),
    location: z.string().min(1).meta({ description: "unix: socket path; tcp: 127.0.0.1:<port> or :<port>" }),
    idleTimeout: z
      .union([z.string().min(1), z.number().int().nonnegative()])
      .optional()
      .meta({ description: 'Go duration string ("30s", "5m") or integer nanoseconds; 0 disables' }),
    secrets: z.literal(SECRETS_ON_STDIN).optional().meta({
      description:
        'The host always sends "stdin": read one JSON line from stdin before listening, {"secret": …, "config": …} (schemas/server-secrets.schema.json); then keep reading stdin, its end means the host is gone',
    }),
    secret: z.string().min(16).optional().meta({
      description:
        'Only when a human starts the plugin by hand without "secrets": required as `Authorization: Bearer <secret>`. The host sends it on stdin',
    }),
    parentPid: z.number().int().positive().optional(),
    logLevel: z.enum(["trace", "debug", "info", "warn", "error", "silent"]).optional(),
    config: z.unknown().optional().meta({
      description:
        'Only when a human starts the plugin by hand without "secrets": the plugin\'s own configuration. The host sends it on stdin',
    }),
  })
  .meta({ title: "OCM plugin server config" });

export type ServerConfig = z.infer<typeof serverConfigSchema>;

/** The `--config` a host puts on a command line: never the secret, never the plugin's own config. */
export type HostServerConfig = Omit<ServerConfig, "secret" | "config" | "secrets"> & {
  secrets: typeof SECRETS_ON_STDIN;
};

/** The one line the host writes on the plugin's stdin right after spawning it, then never writes again. */
export const serverSecretsSchema = z
  .object({
    secret: z
      .string()
      .min(16)
      .meta({ description: "Required on every request as `Authorization: Bearer <secret>`" }),
    config: z
      .unknown()
      .optional()
      .meta({ description: "The plugin's own configuration (see its configSchema); absent when none" }),
  })
  .meta({ title: "OCM plugin server secrets (one JSON line on stdin)" });

export type ServerSecrets = z.infer<typeof serverSecretsSchema>;

/** The bytes the host writes on stdin: compact JSON and one `\n`. */
export function formatSecretsLine(secrets: ServerSecrets): string {
  return `${JSON.stringify(secrets)}\n`;
}
