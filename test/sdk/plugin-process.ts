// Starts bundled plugin executables as real processes and talks HTTP to them with node:http only.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { onTestFinished } from "vitest";
import { readyLineSchema, type ReadyLine } from "../../core/index.js";
import { bundleExecutable } from "../helpers/executables.js";

/** The echo test plugin, bundled with the SDK as an executable. */
export const echoExecutable = () => bundleExecutable("test/fixtures/plugins/echo/main.ts", "echo-sdk");
/** The faulty test plugin, bundled with the SDK as an executable. */
export const faultyExecutable = () => bundleExecutable("test/sdk/fixtures/faulty-plugin.ts", "faulty-sdk");

/** A fresh secret as the manager would pass it. */
export const newSecret = () => randomBytes(32).toString("hex");

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs a plugin command to its end; `stdin` is written to a pipe that is then closed (else /dev/null). */
export function runCommand(
  executable: string,
  args: string[],
  onSpawn?: (child: ChildProcess) => void,
  stdin?: string,
): Promise<Exit & { stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, {
      stdio: [stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(stdin);
    onSpawn?.(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Where a running plugin listens, and the secret it wants. */
export interface Target {
  socketPath?: string;
  port?: number;
  secret?: string;
}

export interface RunningPlugin {
  child: ChildProcess;
  ready: ReadyLine;
  target: Target;
  exited: Promise<Exit>;
  stderr(): string;
}

/**
 * Starts `<plugin> server --config <json>` as the host does: `secret` (a fresh one when `config` has none)
 * and the plugin's `config` go on stdin as the secrets line, the rest in argv with `"secrets":"stdin"`,
 * and stdin stays an open pipe. `byHand` passes `config` as given in argv with stdin from /dev/null, as
 * a person trying a plugin would. Waits for the ready line; the process is killed after the test.
 */
export async function startServer(
  executable: string,
  config: Record<string, unknown>,
  options: { byHand?: boolean; keep?: boolean } = {},
): Promise<RunningPlugin> {
  let argvConfig = config;
  let secretsLine: string | undefined;
  if (!options.byHand) {
    const { secret = newSecret(), config: own, ...rest } = config;
    argvConfig = { ...rest, secrets: "stdin" };
    secretsLine = `${JSON.stringify({ secret, ...(own === undefined ? {} : { config: own }) })}\n`;
    config = { ...config, secret };
  }
  const child = spawn(executable, ["server", "--config", JSON.stringify(argvConfig)], {
    stdio: [secretsLine ? "pipe" : "ignore", "pipe", "pipe"],
  });
  child.stdin?.on("error", () => undefined);
  if (secretsLine) child.stdin?.write(secretsLine);
  if (!options.keep) onTestFinished(() => void child.kill("SIGKILL"));
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const end = out.indexOf("\n");
      if (end >= 0) resolve(out.slice(0, end));
    });
    void exited.then((exit) =>
      reject(new Error(`plugin exited before ready: ${JSON.stringify(exit)}\n${stderr}`)),
    );
  });
  const ready = readyLineSchema.parse(JSON.parse(line));
  const secret = typeof config["secret"] === "string" ? { secret: config["secret"] } : {};
  const target: Target =
    config["type"] === "tcp"
      ? { port: Number(ready.location.split(":")[1]), ...secret }
      : { socketPath: ready.location, ...secret };
  return { child, ready, target, exited, stderr: () => stderr };
}

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer | AsyncIterable<Uint8Array>;
  /** Leave the secret out. */
  anonymous?: boolean;
}

/** Sends one request and returns the response with its body unread. */
export function open(target: Target, path: string, options: CallOptions = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const auth = target.secret && !options.anonymous ? { authorization: `Bearer ${target.secret}` } : {};
    const req = httpRequest(
      {
        ...(target.socketPath ? { socketPath: target.socketPath } : { host: "127.0.0.1", port: target.port }),
        path,
        method: options.method ?? (options.body === undefined ? "GET" : "POST"),
        headers: { ...auth, ...options.headers },
        agent: false,
      },
      resolve,
    );
    req.once("error", reject);
    const body = options.body;
    if (body === undefined || typeof body === "string" || Buffer.isBuffer(body)) req.end(body);
    else Readable.from(body).pipe(req);
  });
}

/** Sends one request and reads the whole answer. */
export async function call(
  target: Target,
  path: string,
  options: CallOptions = {},
): Promise<{ status: number; headers: IncomingMessage["headers"]; body: Buffer; json: () => unknown }> {
  const res = await open(target, path, options);
  const chunks: Buffer[] = [];
  for await (const chunk of res as AsyncIterable<Buffer>) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    body,
    json: () => JSON.parse(body.toString("utf8")),
  };
}

/** Posts a JSON request. */
export const postJson = (target: Target, path: string, body: unknown) =>
  call(target, path, { body: JSON.stringify(body), headers: { "content-type": "application/json" } });

/** True while `pid` exists and is not a zombie (an orphan may wait for a reaper that never comes). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return true;
  }
}

/** Polls `check` until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
