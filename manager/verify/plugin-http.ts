// A bare HTTP/1.1 client for conformance checks: unlike the manager's client it never retries, never
// adds the secret unless asked and returns whatever the plugin answered, so the checks can judge it.
import { request } from "node:http";

/** Where a plugin under test listens. */
export type Endpoint = { type: "unix"; socketPath: string } | { type: "tcp"; host: string; port: number };

export interface PluginAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface PluginRequest {
  method: "GET" | "POST";
  path: string;
  /** Sent as `Authorization: Bearer <secret>` when given. */
  secret?: string | undefined;
  /** A JSON body (serialised here) or raw text. */
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** Sends one request and reads the whole answer; rejects on a connection error or after the timeout. */
export function sendPluginRequest(endpoint: Endpoint, req: PluginRequest): Promise<PluginAnswer> {
  const payload =
    req.body === undefined ? undefined : typeof req.body === "string" ? req.body : JSON.stringify(req.body);
  const headers: Record<string, string> = { ...req.headers, connection: "close" };
  if (req.secret) headers["authorization"] = `Bearer ${req.secret}`;
  if (payload !== undefined) {
    headers["content-type"] ??= "application/json";
    headers["content-length"] = String(Buffer.byteLength(payload));
  }
  const where =
    endpoint.type === "unix"
      ? { socketPath: endpoint.socketPath }
      : { host: endpoint.host, port: endpoint.port };
  const timeoutMs = req.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const outgoing = request({ ...where, method: req.method, path: req.path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    outgoing.setTimeout(timeoutMs, () =>
      outgoing.destroy(new Error(`no answer to ${req.method} ${req.path} within ${timeoutMs} ms`)),
    );
    outgoing.on("error", reject);
    outgoing.end(payload);
  });
}

/** Parses an answer's body as JSON, or throws naming the route and showing the start of the body. */
export function answerJson(answer: PluginAnswer, what: string): unknown {
  try {
    return JSON.parse(answer.body);
  } catch {
    throw new Error(
      `${what}: status ${answer.status} with a body that is not JSON: ${JSON.stringify(answer.body.slice(0, 80))}`,
    );
  }
}
