// Re-emits a plugin's stderr through the host logger: JSON log lines keep their level and fields and gain
// the plugin id; other lines are kept as text at debug level. The last few KiB are kept for error messages.
// A plugin's stderr is untrusted: control characters are escaped before a line is kept or logged, so it
// cannot rewrite the terminal (#10).
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { escapeControls } from "../../../core/model/index.js";
import type { Logger } from "../log.js";

const LEVELS = new Set(["trace", "debug", "info", "warn", "error", "fatal"]);
const PINO_LEVELS: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};
const TAIL_BYTES = 4096;

export interface StderrRelay {
  tail(): string;
}

/** Starts relaying `stream` line by line. */
export function relayStderr(stream: Readable, logger: Logger): StderrRelay {
  let tail = "";
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on("line", (raw) => {
    // Cut before escaping: an escaped line is at most four times as long.
    const line = escapeControls(raw.length > TAIL_BYTES ? raw.slice(0, TAIL_BYTES) : raw, false);
    tail = (tail + line + "\n").slice(-TAIL_BYTES);
    emit(line, logger);
  });
  return { tail: () => tail.trimEnd() };
}

function emit(line: string, logger: Logger): void {
  if (line.startsWith("{")) {
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      const raw = record["level"];
      const level = typeof raw === "number" ? PINO_LEVELS[raw] : typeof raw === "string" ? raw : undefined;
      if (level && LEVELS.has(level)) {
        const { level: _level, msg, time: _time, pid: _pid, hostname: _hostname, ...fields } = record;
        (logger[level as "info"] as (obj: object, msg?: string) => void).call(
          logger,
          fields,
          escapeControls(String(msg ?? ""), false),
        );
        return;
      }
    } catch {
      // Not JSON after all: keep it as text.
    }
  }
  if (line.trim() !== "") logger.debug({ stderr: line }, "plugin stderr");
}
