// The HTTP layer under the registry client: Node's own http client with keep-alive agents and bounded
// connect, header and body waits, reads that follow redirects (credentials only to the registry's own origin,
// so blob storage behind a redirect never sees them), and registry error bodies turned into OcmErrors naming
// the URL and the code. node:http is part of Node's start-up snapshot and costs nothing to load; a client
// library would cost a registry command more than its requests (adr/0005-start-up-cost.md).
import { Agent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import type * as Https from "node:https";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  registryNotFoundError,
  requestFailedError,
  unauthorizedError,
  type RegistryErrorBody,
} from "../oci-errors.js";
import { logRequest } from "./request-log.js";

const CONNECT_TIMEOUT_MS = 15_000;
const HEADERS_TIMEOUT_MS = 60_000;
const BODY_TIMEOUT_MS = 300_000;
/** An idle kept-alive connection is closed after this long. */
const KEEP_ALIVE_MS = 10_000;

const httpAgent = new Agent({ keepAlive: true, timeout: KEEP_ALIVE_MS });
let https: Promise<{ request: typeof Https.request; agent: Https.Agent }> | undefined;

/** node:https and its agent, loaded on the first https request (TLS is not needed for a local registry). */
function httpsClient() {
  return (https ??= import("node:https").then(({ Agent: HttpsAgent, request }) => ({
    request,
    agent: new HttpsAgent({ keepAlive: true, timeout: KEEP_ALIVE_MS }),
  })));
}

const MAX_REDIRECTS = 5;
const MAX_ERROR_BODY = 64 * 1024;
/** A body nobody reads is drained up to this size, so its connection is reused; a larger one is dropped. */
const MAX_DUMP = 256 * 1024;

/** Request body: replayable bytes, or a stream that is sent once. */
export type RequestBody = string | Uint8Array | AsyncIterable<Uint8Array>;

/** The body of an answer: read it, or dump it to free the connection. */
export interface ResponseBody extends AsyncIterable<Uint8Array> {
  /** Reads and drops what is left (up to a bound; past it the connection is closed instead). */
  dump(): Promise<void>;
  destroy(error?: Error): void;
}

/** An HTTP answer. */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: ResponseBody;
}

/** One request to the registry API. */
export interface RegistryRequest {
  method: string;
  /** `/v2/...` path and query, or an absolute URL the registry returned (an upload location). */
  path: string;
  /** Token scopes, e.g. `repository:acme/app:pull,push`. */
  scopes: string[];
  headers?: Record<string, string>;
  body?: RequestBody;
  /** Non-2xx statuses the caller handles itself (e.g. 404 of a HEAD). */
  accept?: number[];
}

/** A registry answer with a body to read or dump. */
export interface RegistryResponse extends HttpAnswer {
  /** The URL shown in messages: origin and path, no query, no credentials. */
  url: string;
}

const timeoutError = (what: string, ms: number) =>
  Object.assign(new Error(`${what} within ${ms / 1000} s`), { code: "ETIMEDOUT" });

function bodyOf(message: IncomingMessage): ResponseBody {
  return {
    [Symbol.asyncIterator]: () => message[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>,
    async dump() {
      // Even a complete answer (a HEAD's) is read to its end: only then is its connection free for reuse, and
      // a connection still in use keeps the process alive.
      if (message.readableEnded || message.destroyed) return;
      let size = 0;
      try {
        for await (const chunk of message) {
          size += (chunk as Buffer).length;
          if (size > MAX_DUMP) break;
        }
      } catch {
        // A body nobody reads may break off; its request has its answer already.
      }
    },
    destroy: (error) => void message.destroy(error),
  };
}

/**
 * Sends one HTTP request and resolves with the answer's status and headers once they arrive; the body is
 * read by the caller. A stream body is sent as it is read, with `content-length` when the headers give it
 * (a stream of another length then fails instead of hanging). Network errors and timeouts reject.
 */
export async function sendHttp(
  url: URL,
  options: { method: string; headers: Record<string, string>; body?: RequestBody | undefined },
  signal: AbortSignal | undefined,
): Promise<HttpAnswer> {
  const client = url.protocol === "https:" ? await httpsClient() : { request: httpRequest, agent: httpAgent };
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: options.method,
        headers: options.headers,
        agent: client.agent,
        ...(signal ? { signal } : {}),
      },
      (answer) => {
        // A broken connection fails whoever reads the body; one nobody reads must not end the process.
        answer.on("error", () => undefined);
        answer.setTimeout(BODY_TIMEOUT_MS, () =>
          answer.destroy(timeoutError("no bytes of the answer came", BODY_TIMEOUT_MS)),
        );
        resolve({ status: answer.statusCode ?? 0, headers: answer.headers, body: bodyOf(answer) });
      },
    );
    req.on("error", reject);
    req.on("timeout", () => req.destroy(timeoutError("no answer came", HEADERS_TIMEOUT_MS)));
    req.on("socket", (socket) => {
      if (!socket.connecting) return void req.setTimeout(HEADERS_TIMEOUT_MS);
      req.setTimeout(CONNECT_TIMEOUT_MS);
      socket.once("connect", () => req.setTimeout(HEADERS_TIMEOUT_MS));
    });
    const body = options.body;
    if (body === undefined || typeof body === "string" || body instanceof Uint8Array) {
      req.end(body);
      return;
    }
    const length = options.headers["content-length"];
    pipeline(Readable.from(counted(body, length === undefined ? undefined : Number(length))), req, {
      end: false,
    })
      .then(() => req.end())
      .catch((error: unknown) => {
        req.destroy(error as Error);
        reject(error as Error);
      });
  });
}

/** The stream, failing when it is longer or shorter than `length` (else the registry would wait for more). */
async function* counted(
  body: AsyncIterable<Uint8Array>,
  length: number | undefined,
): AsyncGenerator<Uint8Array> {
  let sent = 0;
  for await (const chunk of body) {
    sent += chunk.length;
    if (length !== undefined && sent > length) break;
    yield chunk;
  }
  if (length !== undefined && sent !== length) {
    const what = sent > length ? `more than ${length} bytes` : `only ${sent} bytes`;
    throw Object.assign(new Error(`it has ${what}, and its content-length is ${length}`), {
      code: "ERR_HTTP_CONTENT_LENGTH_MISMATCH",
    });
  }
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Sends one request (and the redirects of a read); `auth` goes only to `origin`. Network errors throw. */
export async function dispatch(
  req: RegistryRequest,
  start: URL,
  auth: string | undefined,
  origin: string,
  signal: AbortSignal | undefined,
): Promise<RegistryResponse> {
  let url = start;
  for (let redirects = 0; ; redirects++) {
    const sameOrigin = url.origin === origin;
    const headers = { ...req.headers, ...(auth && sameOrigin ? { authorization: auth } : {}) };
    const shown = `${url.origin}${url.pathname}`;
    let answer: HttpAnswer;
    try {
      const body = redirects === 0 ? req.body : undefined;
      answer = await sendHttp(url, { method: req.method, headers, body }, signal);
    } catch (error) {
      const code = (error as { code?: string }).code;
      logRequest(req.method, url, code ?? (error as Error).name);
      const why = code === "ETIMEDOUT" ? (error as Error).message : (code ?? (error as Error).message);
      throw requestFailedError(req.method, shown, why, undefined, error);
    }
    logRequest(req.method, url, answer.status);
    const location = header(answer.headers, "location");
    const isRead = req.method === "GET" || req.method === "HEAD";
    if (
      isRead &&
      [301, 302, 303, 307, 308].includes(answer.status) &&
      location &&
      redirects < MAX_REDIRECTS
    ) {
      await answer.body.dump();
      url = new URL(location, url);
      continue;
    }
    return { ...answer, url: shown };
  }
}

/** The OcmError for a failed answer, from its status and the registry's JSON error body. */
export async function responseError(method: string, answer: RegistryResponse, hadCredentials: boolean) {
  let body: RegistryErrorBody | undefined;
  if (method !== "HEAD") {
    let text = "";
    for await (const chunk of answer.body) {
      text += Buffer.from(chunk as Uint8Array).toString("utf8");
      // The rest of an oversized error body is not read: the connection is dropped instead.
      if (text.length >= MAX_ERROR_BODY) {
        answer.body.destroy();
        break;
      }
    }
    try {
      body = (JSON.parse(text) as { errors?: RegistryErrorBody[] }).errors?.[0];
    } catch {
      // Not the spec's JSON error body; the status says enough.
    }
  } else {
    await answer.body.dump();
  }
  if (answer.status === 401 || answer.status === 403) {
    return unauthorizedError(method, answer.url, answer.status, body, hadCredentials);
  }
  if (answer.status === 404) return registryNotFoundError(method, answer.url, body);
  return requestFailedError(method, answer.url, `HTTP ${answer.status}`, body);
}

/**
 * Reads an answer's body whole, up to `max` bytes: a larger one, or a connection that breaks midway, fails
 * with OCM_OCI_REQUEST_FAILED naming the URL instead of buffering without end or escaping as a raw error.
 */
export async function readBody(
  method: string,
  url: string,
  body: AsyncIterable<Uint8Array> & { destroy(error?: Error): void },
  max: number,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > max) {
        body.destroy();
        throw requestFailedError(method, url, `answer larger than ${max} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (
      (error as { code?: string }).code === "OCM_OCI_REQUEST_FAILED" ||
      (error as Error).name === "AbortError"
    )
      throw error;
    const why = `the connection broke after ${size} bytes (${(error as { code?: string }).code ?? (error as Error).message})`;
    throw requestFailedError(method, url, why, undefined, error);
  }
  return Buffer.concat(chunks, size);
}

/** Reads a JSON answer of at most `max` bytes; a body that is not JSON fails naming the URL. */
export async function readJson(
  method: string,
  url: string,
  body: AsyncIterable<Uint8Array> & { destroy(error?: Error): void },
  max: number,
): Promise<unknown> {
  const bytes = await readBody(method, url, body, max);
  try {
    return JSON.parse(bytes.toString("utf8")) as unknown;
  } catch (error) {
    throw requestFailedError(method, url, "the answer is not JSON", undefined, error);
  }
}
