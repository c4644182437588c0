// The server config pipeline: JSON → serverConfigSchema → cross-field rules → frozen settings (exit 78 on failure).
import { parseDuration } from "../../core/duration.js";
import { PLUGIN_EXIT } from "../../core/protocol/exit-codes.js";
import {
  SECRETS_ON_STDIN,
  serverConfigSchema,
  type ServerConfig,
  type ServerSecrets,
} from "../../core/protocol/server-config.js";
import { PluginExit } from "../cli/plugin-exit.js";

/** Where to listen: a unix socket path or a loopback TCP port. */
export type ListenTarget = { type: "unix"; path: string } | { type: "tcp"; host: "127.0.0.1"; port: number };

/** The validated server config with derived values. */
export interface ServerSettings {
  config: ServerConfig;
  target: ListenTarget;
  /** Idle timeout in milliseconds; 0 means none. */
  idleMs: number;
}

const TCP_LOCATION = /^(?:127\.0\.0\.1)?:(\d{1,5})$/;

/** Parses and checks the `--config` JSON; every failure names the bad field. */
export function readServerConfig(text: string): Readonly<ServerSettings> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw invalid("(root)", `is not JSON: ${(error as Error).message}`);
  }
  const parsed = serverConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(issue?.path.length ? issue.path.join(".") : "(root)", issue?.message ?? "invalid");
  }
  const config = parsed.data;
  if (config.secrets === SECRETS_ON_STDIN) {
    // A config that says "stdin" and still carries a secret was made by mistake: refuse it rather than guess.
    for (const field of ["secret", "config"] as const) {
      if (config[field] !== undefined)
        throw invalid(field, `must come on stdin, not in --config, when secrets is "${SECRETS_ON_STDIN}"`);
    }
  } else if (config.type === "tcp" && config.secret === undefined) {
    throw invalid("secret", "is required when type is tcp");
  }
  return Object.freeze({ config, target: listenTarget(config), idleMs: idleMs(config) });
}

/** The settings with the secret and the plugin's config from the secrets line on stdin. */
export function withSecrets(settings: ServerSettings, secrets: ServerSecrets): Readonly<ServerSettings> {
  const config: ServerConfig = {
    ...settings.config,
    secret: secrets.secret,
    ...(secrets.config === undefined ? {} : { config: secrets.config }),
  };
  return Object.freeze({ ...settings, config });
}

function listenTarget(config: ServerConfig): ListenTarget {
  if (config.type === "unix") return { type: "unix", path: config.location };
  const match = TCP_LOCATION.exec(config.location);
  const port = Number(match?.[1]);
  if (!match || port > 65535) {
    throw invalid(
      "location",
      `must be 127.0.0.1:<port> or :<port> for tcp, got ${JSON.stringify(config.location)}`,
    );
  }
  return { type: "tcp", host: "127.0.0.1", port };
}

function idleMs(config: ServerConfig): number {
  if (config.idleTimeout === undefined) return 0;
  try {
    return parseDuration(config.idleTimeout);
  } catch (error) {
    throw invalid("idleTimeout", (error as Error).message);
  }
}

function invalid(field: string, message: string): PluginExit {
  return new PluginExit(PLUGIN_EXIT.CONFIG, `invalid --config: field ${field}: ${message}`, { field });
}
