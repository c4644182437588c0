// The HTTP layer under the registry client: one undici agent with bounded connect, header and body timeouts,
// reads that follow redirects (credentials only to the registry's own origin, so blob storage behind a
// redirect never sees them), and registry error bodies turned into OcmErrors naming the URL and the code.
import type { IncomingHttpHeaders } from "node:http";
import { Readable } from "node:stream";
import type { Dispatcher, request as undiciRequest } from "undici";
import {
  registryNotFoundError,
  requestFailedError,
  unauthorizedError,
  type RegistryErrorBody,
} from "../oci-errors.js";
import { logRequest } from "./request-log.js";

export interface HttpClient {
  request: typeof undiciRequest;
  /** The agent of every registry and token request. */
  agent: Dispatcher;
}

let client: Promise<HttpClient> | undefined;

/**
 * undici and the one agent, loaded on the first registry request: undici is a large module, and commands
 * that never talk to a registry (everything on a CTF) do not pay for loading it.
 */
export function httpClient(): Promise<HttpClient> {
  return (client ??= import("undici").then(({ Agent, request }) => ({
    request,
    agent: new Agent({
      connectTimeout: 15_000,
      headersTimeout: 60_000,
      bodyTimeout: 300_000,
      keepAliveTimeout: 10_000,
    }),
  })));
}

const MAX_REDIRECTS = 5;
const MAX_ERROR_BODY = 64 * 1024;

/** Request body: replayable bytes, or a stream that is sent once. */
export type RequestBody = string | Uint8Array | AsyncIterable<Uint8Array>;

/** One request to the registry API. */
export interface RegistryRequest {
  method: Dispatcher.HttpMethod;
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
export interface RegistryResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Dispatcher.ResponseData["body"];
  /** The URL shown in messages: origin and path, no query, no credentials. */
  url: string;
}

const requestBody = (body: RequestBody | undefined) =>
  body === undefined
    ? null
    : typeof body === "string" || body instanceof Uint8Array
      ? body
      : Readable.from(body, { objectMode: false });

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
  const { request, agent } = await httpClient();
  let url = start;
  for (let redirects = 0; ; redirects++) {
    const sameOrigin = url.origin === origin;
    const headers = { ...req.headers, ...(auth && sameOrigin ? { authorization: auth } : {}) };
    const shown = `${url.origin}${url.pathname}`;
    let answer: Dispatcher.ResponseData;
    try {
      answer = await request(url, {
        method: req.method,
        headers,
        body: redirects === 0 ? requestBody(req.body) : null,
        dispatcher: agent,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      const code = (error as { code?: string }).code;
      logRequest(req.method, url, code ?? (error as Error).name);
      throw requestFailedError(req.method, shown, code ?? (error as Error).message, undefined, error);
    }
    logRequest(req.method, url, answer.statusCode);
    const location = header(answer.headers, "location");
    const isRead = req.method === "GET" || req.method === "HEAD";
    if (
      isRead &&
      [301, 302, 303, 307, 308].includes(answer.statusCode) &&
      location &&
      redirects < MAX_REDIRECTS
    ) {
      await answer.body.dump();
      url = new URL(location, url);
      continue;
    }
    return { status: answer.statusCode, headers: answer.headers, body: answer.body, url: shown };
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
  body: Dispatcher.ResponseData["body"],
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
  body: Dispatcher.ResponseData["body"],
  max: number,
): Promise<unknown> {
  const bytes = await readBody(method, url, body, max);
  try {
    return JSON.parse(bytes.toString("utf8")) as unknown;
  } catch (error) {
    throw requestFailedError(method, url, "the answer is not JSON", undefined, error);
  }
}
