// Starts a real `redis-server` (Debian) on a free loopback port with its files in a temp dir and no
// persistence, as the registry helper starts docker-registry: events through Redis Streams are tested
// against the server users run, not a mock.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import getPort from "get-port";

const REDIS_BIN = "/usr/bin/redis-server";

export interface RunningRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Starts redis-server and waits until it answers PING; the caller must `stop()` it. */
export async function startRedis(): Promise<RunningRedis> {
  if (!existsSync(REDIS_BIN)) {
    throw new Error(`${REDIS_BIN} is missing: install it with \`apt-get install -y redis-server\``);
  }
  const dir = await mkdtemp(join(tmpdir(), "ocm-redis-"));
  const port = await getPort({ host: "127.0.0.1" });
  const child = spawn(
    REDIS_BIN,
    ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const log: string[] = [];
  child.stdout.on("data", (chunk: Buffer) => log.push(chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => log.push(chunk.toString("utf8")));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    child.kill("SIGTERM");
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  while (!(await pings(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not start:\n${log.join("")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}

function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("error", () => resolve(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
  });
}
