// The remote client of a capability: one method per operation of its table (core/protocol/operations.ts),
// validated on the host side too, so a caller cannot tell it from the in-process implementation.
import {
  BLOB_CONTENT_TYPE,
  BLOB_HEADER,
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
} from "../../core/index.js";
import type { PluginConnection } from "../process/connection.js";
import { DEFAULT_MAX_RESPONSE_BYTES, readJsonBody } from "./read-body.js";
import { connectionError, exitedSoon, sendRequest } from "./send-request.js";

export interface RemoteOptions {
  pluginId: string;
  /** Bound on a JSON answer in bytes (default 16 MiB). */
  maxResponseBytes?: number | undefined;
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
): Record<string, string> {
  if (options?.credentials) headers[CREDENTIALS_HEADER] = encodeHeaderJson(options.credentials);
  return headers;
}

async function json(call: Call, request: unknown, options?: CallOptions): Promise<unknown> {
  const body = JSON.stringify(checkRequest(call, request));
  const response = await sendRequest(
    call.connect,
    {
      method: "POST",
      path: call.path,
      headers: withCredentials({ "content-type": "application/json" }, options),
      body,
      signal: options?.signal,
      what: call.what,
    },
    () => true,
  );
  return checkResponse(call, await readJsonBody(response, call));
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
      headers: withCredentials({ "content-type": "application/json" }, options),
      body,
      signal: options?.signal,
      highWaterMark: BLOB_HIGH_WATER_MARK,
      what: call.what,
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
    // A live plugin that breaks off a body hit an error it could no longer report (its log line says which).
    const during = `${what}: the blob stream broke off after ${received} bytes`;
    throw connectionError(connection, error, await exitedSoon(connection.exited, 200), during);
  }
}

async function upload(
  call: Call,
  request: unknown,
  content: BlobContent,
  options?: CallOptions,
): Promise<unknown> {
  const checked = checkRequest(call, request);
  let started = false;
  async function* tracked(): AsyncGenerator<Uint8Array> {
    started = true;
    yield* content;
  }
  const response = await sendRequest(
    call.connect,
    {
      method: "POST",
      path: call.path,
      headers: withCredentials(
        { "content-type": BLOB_CONTENT_TYPE, [REQUEST_HEADER]: encodeHeaderJson(checked) },
        options,
      ),
      body: tracked(),
      signal: options?.signal,
      what: call.what,
    },
    () => !started,
  );
  return checkResponse(call, await readJsonBody(response, call));
}
