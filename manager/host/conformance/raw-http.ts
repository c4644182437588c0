// A raw HTTP/1.1 exchange on one connection, for the checks no ordinary client can make: whether a plugin
// keeps a connection it did not say it would close, and what it does after an upload it did not read.
import { connect, type Socket } from "node:net";
import type { Endpoint } from "./plugin-http.js";

/** One answer read off the connection, with the framing the server chose. */
export interface RawAnswer {
  version: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The server said the connection ends here: HTTP/1.0 without keep-alive, or `connection: close`. */
  closes: boolean;
}

/** One open connection to a plugin under test. */
export class RawConnection {
  #buffer = Buffer.alloc(0);
  #ended = false;
  #error: NodeJS.ErrnoException | undefined;
  #closed = false;
  #waiter: (() => void) | undefined;
  readonly #socket: Socket;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on("data", (chunk: Buffer) => this.#push(chunk));
    socket.on("end", () => this.#end());
    socket.on("close", () => {
      this.#closed = true;
      this.#end();
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      this.#error ??= error;
      this.#end();
    });
  }

  static open(endpoint: Endpoint): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket =
        endpoint.type === "unix"
          ? connect({ path: endpoint.socketPath, allowHalfOpen: true })
          : connect({ port: endpoint.port, host: endpoint.host, allowHalfOpen: true });
      socket.once("connect", () => resolve(new RawConnection(socket)));
      socket.once("error", reject);
    });
  }

  /** True once the server closed its side (or the connection broke). */
  get closed(): boolean {
    return this.#ended;
  }

  /** The error that broke the connection (EPIPE, ECONNRESET), if one did; a clean close leaves none. */
  get error(): NodeJS.ErrnoException | undefined {
    return this.#error;
  }

  #push(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    this.#waiter?.();
  }

  #end(): void {
    this.#ended = true;
    this.#waiter?.();
  }

  /** Writes raw bytes; false when the connection is already gone. */
  write(bytes: string | Buffer): boolean {
    if (this.#ended || this.#socket.destroyed) return false;
    this.#socket.write(bytes);
    return true;
  }

  /**
   * Writes bytes even after the server closed its side for writing: a server that answers early may still
   * read what follows (a lingering close), and one that closed for good breaks the write (`error`).
   */
  writeAfterAnswer(bytes: Buffer): void {
    if (!this.#socket.destroyed) this.#socket.write(bytes);
  }

  /** Waits up to `ms` for the connection to close altogether (both sides, or broken); true when it did. */
  async waitGone(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.#closed && Date.now() < deadline) await this.#wait(deadline);
    return this.#closed;
  }

  /** Waits up to `ms` for the server to close its side; true when it did. */
  async waitClosed(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.#ended && Date.now() < deadline) await this.#wait(deadline);
    return this.#ended;
  }

  async #wait(deadline: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      this.#waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#waiter = undefined;
  }

  /** Reads one whole answer within `ms`; undefined when the connection ended first or nothing came. */
  async read(ms: number): Promise<RawAnswer | undefined> {
    const deadline = Date.now() + ms;
    for (;;) {
      const answer = this.#parse();
      if (answer) return answer;
      if (this.#ended || Date.now() >= deadline) return undefined;
      await this.#wait(deadline);
    }
  }

  /** Parses one answer from the buffer when it is complete (content-length, chunked, or up to the close). */
  #parse(): RawAnswer | undefined {
    const end = this.#buffer.indexOf("\r\n\r\n");
    if (end < 0) return undefined;
    const [statusLine = "", ...lines] = this.#buffer.subarray(0, end).toString("latin1").split("\r\n");
    const match = /^HTTP\/(\d\.\d) (\d{3})/.exec(statusLine);
    if (!match) return undefined;
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const rest = this.#buffer.subarray(end + 4);
    const body = bodyOf(rest, headers, this.#ended);
    if (!body) return undefined;
    this.#buffer = rest.subarray(body.used);
    const version = match[1] as string;
    const connection = (headers["connection"] ?? "").toLowerCase();
    const closes =
      connection.includes("close") ||
      (version === "1.0" && !connection.includes("keep-alive")) ||
      (headers["content-length"] === undefined && !/chunked/i.test(headers["transfer-encoding"] ?? ""));
    return { version, status: Number(match[2]), headers, body: body.bytes, closes };
  }

  /** Ends this side of the connection: the server reading to the end of input sees it. */
  endWrites(): void {
    if (!this.#socket.destroyed) this.#socket.end();
  }

  close(): void {
    this.#socket.destroy();
  }
}

function bodyOf(
  rest: Buffer,
  headers: Record<string, string>,
  ended: boolean,
): { bytes: Buffer; used: number } | undefined {
  if (/chunked/i.test(headers["transfer-encoding"] ?? "")) {
    const pieces: Buffer[] = [];
    for (let at = 0; ;) {
      const lineEnd = rest.indexOf("\r\n", at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(rest.subarray(at, lineEnd).toString("latin1"), 16);
      if (size === 0) {
        const trailerEnd = rest.indexOf("\r\n\r\n", lineEnd - 2);
        return trailerEnd < 0 ? undefined : { bytes: Buffer.concat(pieces), used: trailerEnd + 4 };
      }
      if (rest.byteLength < lineEnd + 2 + size + 2) return undefined;
      pieces.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  const length = headers["content-length"];
  if (length !== undefined) {
    const n = Number(length);
    return rest.byteLength < n ? undefined : { bytes: rest.subarray(0, n), used: n };
  }
  return ended ? { bytes: rest, used: rest.byteLength } : undefined;
}
