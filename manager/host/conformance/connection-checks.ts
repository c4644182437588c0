// How a plugin treats its connections (#11): the host reuses a connection only when the answer allows it,
// so a server must either keep it open and frame every answer, or say that it closes it. An upload answered
// before its body was read must still read it: closing on unread bytes turns the answer into a reset.
import {
  HEALTH_ROUTE,
  REQUEST_HEADER,
  capabilityRoute,
  encodeHeaderJson,
  type CapabilityKind,
} from "../../../core/index.js";
import type { Endpoint } from "./plugin-http.js";
import { RawConnection, type RawAnswer } from "./raw-http.js";

const ANSWER_MS = 5_000;

function healthRequest(secret: string): string {
  return `GET ${HEALTH_ROUTE} HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer ${secret}\r\n\r\n`;
}

function isHealthy(answer: RawAnswer | undefined): boolean {
  if (answer?.status !== 200) return false;
  try {
    return (JSON.parse(answer.body.toString("utf8")) as { status?: unknown }).status === "ok";
  } catch {
    return false;
  }
}

/** Why a kept connection failed, and what to change. */
export const KEEP_ALIVE_CAUSE =
  "the server closed the connection after the first answer without saying so; keep it open (HTTP/1.1 with " +
  "content-length or chunked on every answer, each request body read to its end) or answer `connection: close` " +
  "(Python's http.server with its default HTTP/1.0 does)";

/** Two health requests on one connection, unless the first answer says the connection ends. */
export async function checkKeepAlive(endpoint: Endpoint, secret: string): Promise<string> {
  const connection = await RawConnection.open(endpoint);
  try {
    connection.write(healthRequest(secret));
    const first = await connection.read(ANSWER_MS);
    if (!isHealthy(first)) throw new Error(`${HEALTH_ROUTE} on a new connection got no healthy answer`);
    if (first?.closes) {
      return `closes the connection after each answer and says so (HTTP/${first.version}${first.headers["connection"] ? `, connection: ${first.headers["connection"]}` : ""}); the host opens one per call`;
    }
    // A moment later, as the next call of a command would come.
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (connection.closed || !connection.write(healthRequest(secret))) throw new Error(KEEP_ALIVE_CAUSE);
    const second = await connection.read(ANSWER_MS);
    if (!second) throw new Error(KEEP_ALIVE_CAUSE);
    if (!isHealthy(second)) throw new Error(`the second request on a kept connection got ${second.status}`);
    return `keeps the connection open (HTTP/${first?.version}); a second request on it was answered`;
  } finally {
    connection.close();
  }
}

/** Why an upload answered before it was read fails, and what to change. */
export const UNREAD_BODY_CAUSE =
  "the server answered an upload it refused before reading its body, and closed the connection on the unread " +
  "bytes; the host, still writing, then gets a broken pipe or a reset instead of the answer (OCM_RPC_FAILED). " +
  'Read what is left of the request body before answering, even to refuse it (docs/plugin-authors.md, "Connections and bodies")';

interface UploadRoute {
  capability: CapabilityKind;
  type: string;
  operation: string;
}

interface UploadOutcome {
  answer: RawAnswer | undefined;
  /** The write of the body broke (EPIPE, ECONNRESET): the plugin closed on bytes it did not read. */
  broken: NodeJS.ErrnoException | undefined;
  connection: RawConnection;
}

/**
 * More than a socket's buffers hold, so a plugin that closes on unread bytes breaks the write even when its
 * answer comes late.
 */
const UPLOAD_BYTES = 4 * 1024 * 1024;

/**
 * Sends an upload of 4 MiB with the request `{}`, which no plugin can store. A plugin that answers before
 * reading the body does so at once: its answer is read first, then the body is written as the host would
 * go on writing it. A plugin that closed on the unread bytes breaks that write (EPIPE on a unix socket, a
 * reset on TCP); one that reads them, or lingers to drain them, lets it through.
 */
async function sendRefusedUpload(
  endpoint: Endpoint,
  route: UploadRoute,
  secret: string | undefined,
  writeAfterClose: boolean,
): Promise<UploadOutcome> {
  const connection = await RawConnection.open(endpoint);
  const path = capabilityRoute(route.capability, route.type, route.operation);
  connection.write(
    `POST ${path} HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/octet-stream\r\n` +
      (secret ? `authorization: Bearer ${secret}\r\n` : "") +
      `${REQUEST_HEADER}: ${encodeHeaderJson({})}\r\ncontent-length: ${UPLOAD_BYTES}\r\n\r\n`,
  );
  const early = await connection.read(300);
  if (early?.closes && !writeAfterClose) return { answer: early, broken: undefined, connection };
  connection.writeAfterAnswer(Buffer.alloc(UPLOAD_BYTES, 0x61));
  if (early?.closes) {
    connection.endWrites();
    await connection.waitGone(ANSWER_MS);
  }
  const answer = early ?? (await connection.read(ANSWER_MS));
  return { answer, broken: connection.error, connection };
}

/**
 * An upload without the secret: the plugin answers 401, and may close the connection without reading the
 * body (the host always sends the secret); if it keeps the connection, the next request on it is answered.
 */
export async function checkUnreadUpload(
  endpoint: Endpoint,
  secret: string,
  route: UploadRoute,
): Promise<string> {
  const { answer, connection } = await sendRefusedUpload(endpoint, route, undefined, false);
  try {
    if (!answer) throw new Error(`an upload without the secret got no answer within ${ANSWER_MS} ms`);
    if (answer.status !== 401)
      throw new Error(`an upload without the secret answered ${answer.status}, expected 401`);
    if (answer.closes) return "401 to an upload without the secret, and the connection closed";
    if (!connection.write(healthRequest(secret)) || !isHealthy(await connection.read(ANSWER_MS))) {
      throw new Error(
        "after a 401 to an upload it did not read, the server kept the connection, and the next request on it " +
          "got no answer: answer errors before a body is read with `connection: close`, or read the body first",
      );
    }
    return "401 to an upload without the secret; the connection stayed usable";
  } finally {
    connection.close();
  }
}

/**
 * An upload with the secret that the plugin refuses (its request `{}` names nothing to store): the answer
 * must reach the host, so the body is read before the connection closes.
 */
export async function checkRefusedUpload(
  endpoint: Endpoint,
  secret: string,
  route: UploadRoute,
): Promise<string> {
  const { answer, broken, connection } = await sendRefusedUpload(endpoint, route, secret, true);
  try {
    if (broken) throw new Error(`${UNREAD_BODY_CAUSE} (${broken.code ?? broken.message})`);
    if (!answer) throw new Error(`an upload with the request {} got no answer within ${ANSWER_MS} ms`);
    if (answer.status < 400)
      throw new Error(`an upload with the request {} answered ${answer.status}, expected an error`);
    return `${answer.status} to an upload it refused, its body read first`;
  } finally {
    connection.close();
  }
}

/** Why a plugin that serves one connection at a time fails, and what to change. */
export const ONE_AT_A_TIME_CAUSE =
  "the server answers one connection at a time: while a request's body was still arriving, a health request " +
  "on a second connection got no answer. The host holds several connections to a plugin at once (ocm transfer " +
  "between two repositories of one plugin feeds a download from it into an upload to it), which then waits " +
  'until callTimeout. Serve each connection on its own thread or process (docs/plugin-authors.md, "Connections and bodies")';

/**
 * Two connections at once: a request whose body stops after its first bytes holds the first, and a health
 * request on the second must still be answered.
 */
export async function checkParallelConnections(
  endpoint: Endpoint,
  secret: string,
  route: UploadRoute,
): Promise<string> {
  const held = await RawConnection.open(endpoint);
  try {
    const path = capabilityRoute(route.capability, route.type, route.operation);
    held.write(
      `POST ${path} HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n` +
        `authorization: Bearer ${secret}\r\ncontent-length: 4096\r\n\r\n{"repository":`,
    );
    // Long enough for the server to be busy reading the held body.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await RawConnection.open(endpoint);
    try {
      second.write(healthRequest(secret));
      if (!isHealthy(await second.read(ANSWER_MS))) throw new Error(ONE_AT_A_TIME_CAUSE);
      return "serves a second connection while a first one is busy";
    } finally {
      second.close();
    }
  } finally {
    held.close();
  }
}
