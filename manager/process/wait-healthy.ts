// Readiness: a stdout line from the plugin triggers an immediate health check, and health is also polled
// with a short back-off, so a plugin that prints no ready line still starts. Bounded by the start timeout.
import { HEALTH_ROUTE, healthSchema } from "../../core/index.js";
import type { ExitInfo, PluginConnection } from "./connection.js";

export interface WaitHealthyOptions {
  connection: PluginConnection;
  /** Dispatches "line" for each stdout line. */
  readyHint: EventTarget;
  timeoutMs: number;
}

/** Resolves once `GET /v1/health` answers ok; rejects on exit (`Exited`) or timeout (`StartTimeout`). */
export async function waitUntilHealthy(options: WaitHealthyOptions): Promise<void> {
  const { connection, readyHint, timeoutMs } = options;
  let exit: ExitInfo | undefined;
  void connection.exited.then((info) => (exit = info));
  let wake: (() => void) | undefined;
  // A line that arrives while a check is in flight (one sent just before the plugin listened) must not
  // be lost: that check fails, and the next one then goes out at once instead of after the back-off.
  let hinted = false;
  const onLine = (): void => {
    hinted = true;
    wake?.();
  };
  readyHint.addEventListener("line", onLine);
  const deadline = Date.now() + timeoutMs;
  try {
    for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
      if (exit) throw named("Exited", "plugin exited before it was ready");
      hinted = false;
      if (await isHealthy(connection)) return;
      if (exit) throw named("Exited", "plugin exited before it was ready");
      const left = deadline - Date.now();
      if (left <= 0) throw named("StartTimeout", "start timeout");
      if (hinted) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(pause, left));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
        void connection.exited.then(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      wake = undefined;
    }
  } finally {
    readyHint.removeEventListener("line", onLine);
  }
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
