// The remote client of a capability: one method per operation of its table (core/protocol/operations.ts),
// validated on the host side too, so a caller cannot tell it from the in-process implementation.
import {
  BLOB_CONTENT_TYPE,
  BLOB_HEADER,
  OcmError,
  CREDENTIALS_HEADER,
  REQUEST_HEADER,
  capabilityRoute,
  decodeHeaderJson,
  encodeHeaderJson,
  operationsOf,
  validate,
  type Blob,
  type BlobContent,
  type CallOptions,
  type CapabilityKind,
  type CapabilityMap,
  type OperationSpec,
} from "../../../core/index.js";
import type { Dispatcher } from "undici";
import type { PluginConnection } from "../process/connection.js";
import { isIdempotent } from "./idempotent.js";
import { DEFAULT_MAX_RESPONSE_BYTES, readJsonBody } from "./read-body.js";
import { connectionError, exitedSoon, sendRequest, timeoutError } from "./send-request.js";

export interface RemoteOptions {
  pluginId: string;
  /** Bound on a JSON answer in bytes (default 16 MiB). */
  maxResponseBytes?: number | undefined;
  /** Whether per-call credentials go out in the `ocm-credentials` header; a remote plugin must opt in. */
  forwardCredentials?: boolean | undefined;
}

/** A client for `capability` of `type`, served by the plugin behind `connect()`. */
export function createRemoteCapability<K extends CapabilityKind>(
  capability: K,
  type: string,
  connect: () => Promise<PluginConnection>,
  options: RemoteOptions,
): CapabilityMap[K] {
  const client: Record<string, unknown> = {};
  for (const [method, spec] of Object.entries(operationsOf(capability))) {
    const path = capabilityRoute(capability, type, spec.route);
    const what = `${method} (${options.pluginId}, ${type})`;
    const call = {
      spec,
      method,
      path,
      what,
      connect,
      pluginId: options.pluginId,
      limit: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      notFoundOn404: spec.route.startsWith("get-"),
      idempotent: isIdempotent(spec.route),
      forwardCredentials: options.forwardCredentials !== false,
    };
    client[method] =
      spec.kind === "upload"
        ? (request: unknown, content: BlobContent, opts?: CallOptions) => upload(call, request, content, opts)
        : spec.kind === "download"
          ? (request: unknown, opts?: CallOptions) => download(call, request, opts)
          : (request: unknown, opts?: CallOptions) => json(call, request, opts);
  }
  return client as CapabilityMap[K];
}

/**
 * A blob's bytes buffered on the host before the socket is paused. undici's 64 KiB default pauses and
 * resumes the socket every few reads; more lets the plugin keep writing while the caller is busy.
 */
const BLOB_HIGH_WATER_MARK = 1024 * 1024;

interface Call {
  spec: OperationSpec;
  method: string;
  path: string;
  what: string;
  connect: () => Promise<PluginConnection>;
  pluginId: string;
  /** Bound on a JSON answer in bytes. */
  limit: number;
  /** A read of one thing: a 404 with the plugin's own code is OCM_REPOSITORY_NOT_FOUND. */
  notFoundOn404: boolean;
  /** Without side effects: may be sent again after a connection failure. */
  idempotent: boolean;
  forwardCredentials: boolean;
}

function checkRequest(call: Call, request: unknown): unknown {
  return validate(call.spec.request, request, "OCM_RPC_BAD_REQUEST", `invalid ${call.method} request`);
}

function checkResponse(call: Call, body: unknown): unknown {
  return validate(
    call.spec.response,
    body,
    "OCM_RPC_BAD_RESPONSE",
    `invalid ${call.method} response from plugin`,
  );
}

/** Adds the call's credentials as the `ocm-credentials` header (never a body, never logged). */
function withCredentials(
  headers: Record<string, string>,
  options: CallOptions | undefined,
  call: Call,
): Record<string, string> {
  if (options?.credentials && call.forwardCredentials)
    headers[CREDENTIALS_HEADER] = encodeHeaderJson(options.credentials);
  return headers;
}

async function json(call: Call, request: unknown, options?: CallOptions): Promise<unknown> {
  const body = JSON.stringify(checkRequest(call, request));
  let connection: PluginConnection | undefined;
  const connect = async (): Promise<PluginConnection> => (connection = await call.connect());
  const response = await sendRequest(
    connect,
    {
      method: "POST",
      path: call.path,
      headers: withCredentials({ "content-type": "application/json" }, options, call),
      body,
      signal: options?.signal,
      what: call.what,
      notFoundOn404: call.notFoundOn404,
      idempotent: call.idempotent,
    },
    () => true,
  );
  return checkResponse(call, await readAnswer(call, response, connection as PluginConnection));
}

/** The JSON answer; a body that stalls past the call bound is the plugin's timeout. */
async function readAnswer(call: Call, response: Dispatcher.ResponseData, connection: PluginConnection) {
  try {
    return await readJsonBody(response, call);
  } catch (error) {
    if ((error as { code?: string }).code === "UND_ERR_BODY_TIMEOUT")
      throw timeoutError(connection, error, call.what);
    throw error;
  }
}

async function download(call: Call, request: unknown, options?: CallOptions): Promise<Blob> {
  const body = JSON.stringify(checkRequest(call, request));
  let connection: PluginConnection | undefined;
  const connect = async (): Promise<PluginConnection> => (connection = await call.connect());
  const response = await sendRequest(
    connect,
    {
      method: "POST",
      path: call.path,
      headers: withCredentials({ "content-type": "application/json" }, options, call),
      body,
      signal: options?.signal,
      highWaterMark: BLOB_HIGH_WATER_MARK,
      what: call.what,
      notFoundOn404: call.notFoundOn404,
      idempotent: call.idempotent,
    },
    () => true,
  );
  const header = response.headers[BLOB_HEADER];
  let info: unknown;
  try {
    info = typeof header === "string" ? decodeHeaderJson(header) : undefined;
  } catch {
    info = undefined;
  }
  const meta = checkResponse(call, info) as Omit<Blob, "content">;
  return { ...meta, content: guardStream(response.body, connection as PluginConnection, call.what) };
}

/** Re-throws a body that breaks off midway as the crash or stop of the plugin that served it. */
async function* guardStream(body: AsyncIterable<Uint8Array>, connection: PluginConnection, what: string) {
  let received = 0;
  try {
    for await (const chunk of body) {
      received += chunk.byteLength;
      yield chunk;
    }
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    if ((error as { code?: string }).code === "UND_ERR_BODY_TIMEOUT")
      throw timeoutError(connection, error, `${what} (the blob stream, after ${received} bytes)`);
    // A live plugin that breaks off a body hit an error it could no longer report (its log line says which).
    const during = `${what}: the blob stream broke off after ${received} bytes`;
    const exit = connection.remote ? undefined : await exitedSoon(connection.exited, 200);
    throw connectionError(connection, error, exit, during);
  }
}

/**
 * Streams `content` as the request body. A blob whose size the request states goes out with that
 * content-length (a server that reads content-length only gets it whole); one of unknown size goes out
 * with `transfer-encoding: chunked`. What the plugin says it stored is checked against what was sent.
 */
async function upload(
  call: Call,
  request: unknown,
  content: BlobContent,
  options?: CallOptions,
): Promise<unknown> {
  const checked = checkRequest(call, request) as { size?: number; digest?: string };
  const headers: Record<string, string> = {
    "content-type": BLOB_CONTENT_TYPE,
    [REQUEST_HEADER]: encodeHeaderJson(checked),
  };
  if (checked.size !== undefined) headers["content-length"] = String(checked.size);
  let started = false;
  let sent = 0;
  let finished = false;
  async function* tracked(): AsyncGenerator<Uint8Array> {
    started = true;
    for await (const chunk of content) {
      sent += chunk.byteLength;
      yield chunk;
    }
    finished = true;
  }
  let connection: PluginConnection | undefined;
  const connect = async (): Promise<PluginConnection> => (connection = await call.connect());
  let response: Dispatcher.ResponseData;
  try {
    response = await sendRequest(
      connect,
      {
        method: "POST",
        path: call.path,
        headers: withCredentials(headers, options, call),
        body: tracked(),
        signal: options?.signal,
        what: call.what,
      },
      () => !started,
    );
  } catch (error) {
    throw checked.size === undefined && started && !finished ? unreadChunked(call, error, sent) : error;
  }
  const answer = checkResponse(call, await readAnswer(call, response, connection as PluginConnection));
  // A plugin that answers a chunked upload before its end did not read it (it reads content-length only):
  // whatever it says it stored is not the blob, even when it reports no size to compare.
  if (checked.size === undefined && started && !finished) {
    throw unreadChunked(
      call,
      new OcmError({ code: "OCM_RPC_FAILED", message: "the plugin answered before the upload ended" }),
      sent,
    );
  }
  checkStored(call, checked, answer as { size?: number; digest?: string }, finished ? sent : undefined);
  return answer;
}

/** Names the likely cause when a plugin broke off a chunked upload: it reads content-length bodies only. */
function unreadChunked(call: Call, error: unknown, sent: number): unknown {
  if ((error as OcmError).code !== "OCM_RPC_FAILED") return error;
  return new OcmError({
    code: "OCM_RPC_FAILED",
    message: `plugin ${call.pluginId} stopped reading an upload of unknown size after ${sent} bytes during ${call.what}`,
    hint:
      "A blob of unknown size is sent with `transfer-encoding: chunked`: the plugin must read chunked request bodies " +
      '(docs/plugin-authors.md, "Connections and bodies" has a Python reader). `ocm plugin verify` checks it.',
    details: { plugin: call.pluginId, sent },
    cause: error,
  });
}

/** What the plugin says it stored must be what was announced and sent: a lost body is an error, never 0 bytes. */
function checkStored(
  call: Call,
  request: { size?: number; digest?: string },
  answer: { size?: number; digest?: string },
  sent: number | undefined,
): void {
  const expectedSize = request.size ?? sent;
  const sizeDiffers = expectedSize !== undefined && answer.size !== undefined && answer.size !== expectedSize;
  const digestDiffers =
    request.digest !== undefined && answer.digest !== undefined && answer.digest !== request.digest;
  if (!sizeDiffers && !digestDiffers) return;
  const chunked = request.size === undefined;
  throw new OcmError({
    code: "OCM_REPOSITORY_DIGEST_MISMATCH",
    message: `plugin ${call.pluginId} stored ${answer.size ?? "?"} bytes (${answer.digest ?? "no digest"}) of a blob sent as ${expectedSize ?? "?"} bytes${request.digest ? ` (${request.digest})` : ""} during ${call.what}`,
    hint: chunked
      ? 'The blob was sent with `transfer-encoding: chunked` (size unknown): the plugin must read chunked request bodies (docs/plugin-authors.md, "Connections and bodies").'
      : "The plugin lost or changed bytes of the upload; run `ocm plugin verify` on it.",
    details: { plugin: call.pluginId, sent: expectedSize ?? null, stored: answer.size ?? null },
  });
}
