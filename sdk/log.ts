// JSON log lines on stderr, the format the host re-emits with the plugin id; stdout belongs to the protocol.

/** Log levels, named and ordered as pino names them. */
export const LOG_LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, silent: Infinity } as const;

export type LogLevel = keyof typeof LOG_LEVELS;

/** Extra fields of a log line; `level`, `time` and `msg` are set by the logger. */
export type LogFields = Record<string, unknown>;

type LogMethod = (msg: string, fields?: LogFields) => void;

/** The plugin's logger: one JSON line per call, `{"level","time","msg",...fields}`. */
export interface PluginLog {
  trace: LogMethod;
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  /** The lowest level written; `silent` writes nothing. */
  level: LogLevel;
}

let threshold: LogLevel = "info";

function write(level: Exclude<LogLevel, "silent">, msg: string, fields: LogFields | undefined): void {
  if (LOG_LEVELS[level] < LOG_LEVELS[threshold]) return;
  const time = Date.now();
  // pino's key order; the logger's own keys win over fields of the same name.
  const line = JSON.stringify(Object.assign({ level, time }, fields, { level, time, msg }), replaceErrors);
  try {
    process.stderr.write(`${line}\n`);
  } catch {
    // A closed stderr must never take the server down.
  }
}

/** Errors have no enumerable fields; log their message, code and stack instead of `{}`. */
function replaceErrors(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const { code } = value as { code?: unknown };
  return { message: value.message, ...(code === undefined ? {} : { code }), stack: value.stack };
}

/** The logger plugin code uses; its level follows the server config's `logLevel`. */
export const log: PluginLog = {
  trace: (msg, fields) => write("trace", msg, fields),
  debug: (msg, fields) => write("debug", msg, fields),
  info: (msg, fields) => write("info", msg, fields),
  warn: (msg, fields) => write("warn", msg, fields),
  error: (msg, fields) => write("error", msg, fields),
  get level() {
    return threshold;
  },
  set level(value: LogLevel) {
    threshold = value;
  },
};
