// Readiness: the plugin's ready line naming this launch's location means it listens, so the first call can
// go out at once. Any other stdout line triggers an immediate health check, and health is also polled with
// a short back-off, so a plugin that prints no ready line still starts. Bounded by the start timeout.
import { HEALTH_ROUTE, healthSchema, readyLineSchema } from "../../../core/index.js";
import type { ExitInfo, PluginConnection } from "./connection.js";
import { pollHealth } from "./poll-health.js";

export interface WaitHealthyOptions {
  connection: PluginConnection;
  /** Dispatches a "line" CustomEvent for each stdout line, the line as its `detail`. */
  readyHint: EventTarget;
  /** The location this launch was told to listen on (a socket path or `127.0.0.1:<port>`). */
  location: string;
  timeoutMs: number;
}

/** True when `line` is the contract's ready line for `location`. */
export function isReadyLine(line: string, location: string): boolean {
  if (!line.startsWith("{")) return false;
  try {
    const parsed = readyLineSchema.safeParse(JSON.parse(line));
    return parsed.success && parsed.data.location === location;
  } catch {
    return false;
  }
}

/**
 * Resolves once the ready line for this launch arrived or `GET /v1/health` answers ok; rejects on exit
 * (`Exited`) or timeout (`StartTimeout`).
 */
export async function waitUntilHealthy(options: WaitHealthyOptions): Promise<void> {
  const { connection, readyHint, location, timeoutMs } = options;
  let exit: ExitInfo | undefined;
  void connection.exited.then((info) => (exit = info));
  let ready = false;
  const healthy = await pollHealth({
    check: () => isHealthy(connection),
    timeoutMs,
    pauseMs: 5,
    maxPauseMs: 200,
    settled: () => {
      if (exit) throw named("Exited", "plugin exited before it was ready");
      return ready;
    },
    onWake: (wake) => {
      const onLine = (event: Event): void => {
        if (isReadyLine(String((event as CustomEvent<string>).detail), location)) ready = true;
        wake();
      };
      readyHint.addEventListener("line", onLine);
      void connection.exited.then(wake);
      return () => readyHint.removeEventListener("line", onLine);
    },
  });
  if (!healthy) throw named("StartTimeout", "start timeout");
}

async function isHealthy(connection: PluginConnection): Promise<boolean> {
  try {
    const response = await connection.dispatcher.request({
      origin: connection.origin,
      path: HEALTH_ROUTE,
      method: "GET",
      headers: { authorization: connection.authorization },
      headersTimeout: 2_000,
      bodyTimeout: 2_000,
    });
    const body: unknown = await response.body.json().catch(() => undefined);
    return response.statusCode === 200 && healthSchema.safeParse(body).success;
  } catch {
    return false;
  }
}

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
