// Every HTTP request the plugin makes, at debug level: one line per request (method, path, status) and, when
// the plugin is closed, how many it made. A user who asks why a command is slow, or whether a second transfer
// really copies nothing, reads the answer with `--log-level debug`.
import { log } from "../../../sdk/index.js";

const PLUGIN = "oci";

/** Requests made since the last summary, by method. */
const made = new Map<string, number>();

/** Records one request: `status` is the HTTP status, or the network error's code when none came back. */
export function logRequest(method: string, url: URL, status: number | string): void {
  made.set(method, (made.get(method) ?? 0) + 1);
  log.debug("registry request", { plugin: PLUGIN, method, host: url.host, path: url.pathname, status });
}

/** Logs how many requests were made since the last summary, by method, and starts counting again. */
export function logRequestSummary(): void {
  const byMethod = Object.fromEntries([...made].sort(([a], [b]) => a.localeCompare(b)));
  const requests = [...made.values()].reduce((sum, n) => sum + n, 0);
  made.clear();
  log.debug("registry requests made", { plugin: PLUGIN, requests, byMethod });
}
