// How a plugin treats its connections (#11): the host reuses a connection only when the answer allows it,
// so a server must either keep it open and frame every answer, or say that it closes it. An upload answered
// before its body was read must close the connection, or the unread bytes spoil the next request.
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

/**
 * An upload without the secret: the plugin may answer 401 before reading the body, but then it must close
 * the connection (or read the body): a health request sent after it on the same connection must be answered.
 */
export async function checkUnreadUpload(
  endpoint: Endpoint,
  secret: string,
  route: { capability: CapabilityKind; type: string; operation: string },
): Promise<string> {
  const connection = await RawConnection.open(endpoint);
  const body = Buffer.alloc(256 * 1024, 0x61);
  const path = capabilityRoute(route.capability, route.type, route.operation);
  try {
    connection.write(
      `POST ${path} HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/octet-stream\r\n` +
        `${REQUEST_HEADER}: ${encodeHeaderJson({})}\r\ncontent-length: ${body.byteLength}\r\n\r\n`,
    );
    // A plugin that answers before reading the body does so at once: its answer is read first, so that the
    // body, written as the host goes on writing it, cannot race the answer off a connection it closed.
    const early = await connection.read(300);
    if (!early?.closes) connection.write(body);
    const answer = early ?? (await connection.read(ANSWER_MS));
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
