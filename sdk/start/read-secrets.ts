// Reads the secrets line the host writes on stdin right after the spawn (`"secrets": "stdin"` in the
// config): the per-launch secret and the plugin's own config, kept off the command line (#10).
import { PLUGIN_EXIT } from "../../core/protocol/exit-codes.js";
import {
  SECRETS_LINE_MAX_BYTES,
  serverSecretsSchema,
  type ServerSecrets,
} from "../../core/protocol/server-config.js";
import { PluginExit } from "../cli/plugin-exit.js";

/** How long to wait for the line; the host writes it at once, so this only bounds a broken host. */
export const SECRETS_TIMEOUT_MS = 10_000;

export interface ReadSecretsOptions {
  timeoutMs?: number;
  maxBytes?: number;
}

/**
 * Reads one line from `input` and validates it. Only that line is consumed: the stream is left flowing
 * with its end still observable, because stdin staying open is the plugin's lifeline (sdk/watch).
 */
export function readSecretsLine(
  input: NodeJS.ReadableStream,
  options: ReadSecretsOptions = {},
): Promise<ServerSecrets> {
  const timeoutMs = options.timeoutMs ?? SECRETS_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? SECRETS_LINE_MAX_BYTES;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error: PluginExit | undefined, line?: Buffer) => {
      clearTimeout(timer);
      input.off("data", onData);
      input.off("end", onEnd);
      input.off("error", onError);
      if (error) return reject(error);
      try {
        resolve(parseSecrets(line as Buffer));
      } catch (thrown) {
        reject(thrown as PluginExit);
      }
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
      const newline = bytes.indexOf(0x0a);
      const part = newline >= 0 ? bytes.subarray(0, newline) : bytes;
      chunks.push(part);
      size += part.length;
      if (size + 1 > maxBytes) {
        finish(invalid(`the secrets line on stdin is longer than ${maxBytes} bytes`));
      } else if (newline >= 0) {
        // Anything after the line is not part of the contract (the host writes nothing more): dropped.
        finish(undefined, Buffer.concat(chunks, size));
      }
    };
    const onEnd = () => finish(invalid("stdin ended before the secrets line"));
    const onError = (error: Error) =>
      finish(invalid(`stdin failed before the secrets line: ${error.message}`));
    const timer = setTimeout(
      () => finish(invalid(`no secrets line on stdin within ${timeoutMs} ms`)),
      timeoutMs,
    );
    input.on("data", onData);
    input.once("end", onEnd);
    input.once("error", onError);
  });
}

function parseSecrets(line: Buffer): ServerSecrets {
  let raw: unknown;
  try {
    raw = JSON.parse(line.toString("utf8"));
  } catch (error) {
    throw invalid(`the secrets line on stdin is not JSON: ${(error as Error).message}`, "(root)");
  }
  const parsed = serverSecretsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? issue.path.join(".") : "(root)";
    throw invalid(`the secrets line on stdin: field ${field}: ${issue?.message ?? "invalid"}`, field);
  }
  return parsed.data;
}

function invalid(message: string, field = "secrets"): PluginExit {
  return new PluginExit(PLUGIN_EXIT.CONFIG, message, { field, code: "OCM_PLUGIN_SECRETS_INVALID" });
}
