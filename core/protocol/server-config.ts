// The JSON passed as `<plugin> server --config '<json>'` (the ADR's Config, extended with a per-launch secret).
import * as z from "zod";

export const serverConfigSchema = z
  .object({
    id: z.string().min(1),
    type: z.enum(["unix", "tcp"]),
    location: z.string().min(1).meta({ description: "unix: socket path; tcp: 127.0.0.1:<port> or :<port>" }),
    idleTimeout: z
      .union([z.string().min(1), z.number().int().nonnegative()])
      .optional()
      .meta({ description: 'Go duration string ("30s", "5m") or integer nanoseconds; 0 disables' }),
    secret: z
      .string()
      .min(16)
      .optional()
      .meta({ description: "Required as `Authorization: Bearer <secret>`" }),
    parentPid: z.number().int().positive().optional(),
    logLevel: z.enum(["trace", "debug", "info", "warn", "error", "silent"]).optional(),
    config: z
      .unknown()
      .optional()
      .meta({ description: "The plugin's own configuration (see its configSchema)" }),
  })
  .meta({ title: "OCM plugin server config" });

export type ServerConfig = z.infer<typeof serverConfigSchema>;
