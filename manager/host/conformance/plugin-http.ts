// A bare HTTP/1.1 client for conformance checks: unlike the manager's client it never retries, never
// reuses a connection, never adds the secret unless asked and returns whatever the plugin answered, so the
// checks can judge it.
import { request } from "node:http";

/** Where a plugin under test listens. */
export type Endpoint = { type: "unix"; socketPath: string } | { type: "tcp"; host: string; port: number };

export interface PluginAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The body as bytes (a downloaded blob). */
  bytes: Buffer;
}

export interface ConformanceRequest {
  method: "GET" | "POST";
  path: string;
  /** Sent as `Authorization: Bearer <secret>` when given. */
  secret?: string | undefined;
  /** A JSON body (serialised here), raw text, or bytes (an uploaded blob). */
  body?: unknown;
  /** Send the body with `transfer-encoding: chunked` instead of content-length (a blob of unknown size). */
  chunked?: boolean;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** Sends one request and reads the whole answer; rejects on a connection error or after the timeout. */
export function sendPluginRequest(endpoint: Endpoint, req: ConformanceRequest): Promise<PluginAnswer> {
  const payload =
    req.body === undefined
      ? undefined
      : typeof req.body === "string" || Buffer.isBuffer(req.body)
        ? req.body
        : JSON.stringify(req.body);
  const headers: Record<string, string> = { ...req.headers, connection: "close" };
  if (req.secret) headers["authorization"] = `Bearer ${req.secret}`;
  if (payload !== undefined) {
    headers["content-type"] ??= "application/json";
    if (req.chunked) headers["transfer-encoding"] = "chunked";
    else headers["content-length"] = String(Buffer.byteLength(payload));
  }
  const where =
    endpoint.type === "unix"
      ? { socketPath: endpoint.socketPath }
      : { host: endpoint.host, port: endpoint.port };
  const timeoutMs = req.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    // No agent: Node's default agent keeps sockets alive and would reuse one after an answer that did not
    // repeat `connection: close`, though the plugin closed it (#11). One request, one connection.
    const outgoing = request(
      { ...where, method: req.method, path: req.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const bytes = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString("utf8"), bytes });
        });
      },
    );
    outgoing.setTimeout(timeoutMs, () =>
      outgoing.destroy(new Error(`no answer to ${req.method} ${req.path} within ${timeoutMs} ms`)),
    );
    outgoing.on("error", reject);
    if (req.chunked && payload !== undefined) {
      // Several chunks, as the host streams a blob of unknown size.
      const bytes = Buffer.from(payload);
      for (let at = 0; at < bytes.byteLength; at += 16 * 1024)
        outgoing.write(bytes.subarray(at, at + 16 * 1024));
      outgoing.end();
    } else {
      outgoing.end(payload);
    }
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
