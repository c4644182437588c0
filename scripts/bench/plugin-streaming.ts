// Streaming 1 GiB through a plugin beside a bare socket pipe whose writer also runs in its own process
// (issue: plugin host). Part of `npm run bench` through plugin-host.ts.
import { spawn } from "node:child_process";
import { chmod, copyFile, mkdir, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { managerFor } from "./plugin-manager-for.js";
import { type Row, median } from "./report.js";

const GiB = 1024 * 1024 * 1024;

/**
 * The bare pipe's writer, in its own process as a plugin is: for each connection it reads the size asked
 * for (a decimal line), then writes that many bytes in 1 MiB chunks (the chunk size of the echo plugin's
 * generated blobs), waiting for 'drain' when told to.
 */
const BARE_PIPE_WRITER = `
import { createServer } from "node:net";
const chunk = Buffer.alloc(1 << 20, 7);
const server = createServer((socket) => {
  let line = "";
  socket.on("data", function onData(data) {
    line += data.toString("latin1");
    if (!line.includes("\\n")) return;
    socket.off("data", onData);
    const size = Number(line.slice(0, line.indexOf("\\n")));
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!socket.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void socket.once("drain", pump);
      }
      socket.end();
    };
    pump();
  });
});
server.listen(process.argv[2], () => process.stdout.write("ready\\n"));
process.stdin.on("end", () => process.exit(0)); process.stdin.resume();
`;

/** Starts the bare pipe's writer; `pass(size)` reads `size` bytes from it with a plain socket (MB/s). */
async function bareSocketPipe(work: string) {
  const socketPath = join(work, "pipe.sock");
  const script = join(work, "bare-pipe-writer.mjs");
  await writeFile(script, BARE_PIPE_WRITER);
  const writer = spawn(process.execPath, [script, socketPath], { stdio: ["pipe", "pipe", "inherit"] });
  await new Promise<void>((resolve) => writer.stdout.once("data", () => resolve()));
  const pass = async (size: number): Promise<number> => {
    const start = performance.now();
    let received = 0;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(socketPath, () => socket.write(`${size}\n`));
      socket.on("data", (chunk) => (received += chunk.length));
      socket.on("end", () => resolve());
      socket.on("error", reject);
    });
    if (received !== size) throw new Error(`bare pipe delivered ${received} of ${size} bytes`);
    return size / (1024 * 1024) / ((performance.now() - start) / 1000);
  };
  return { pass, close: () => void writer.kill("SIGTERM") };
}

/** Streams 1 GiB from the echo plugin `plugin` and through the bare pipe; one row with both. */
export async function benchStreaming(work: string, plugin: string): Promise<Row[]> {
  const dir = join(work, "stream");
  await mkdir(dir, { recursive: true });
  await copyFile(plugin, join(dir, "echo.mjs"));
  await chmod(join(dir, "echo.mjs"), 0o755);
  const manager = managerFor(work, dir);
  const resources = await manager.getPlugin("Generated/v1", "resourceRepository");
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const ours = async (size: number): Promise<number> => {
    const resource = { name: "gen", type: "blob", access: { type: "Generated/v1", size } };
    const start = performance.now();
    const blob = await resources.getResource({ resource });
    let received = 0;
    for await (const chunk of blob.content) {
      received += chunk.byteLength;
      if ((received & 0xffffff) === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    if (received !== size) throw new Error(`the plugin delivered ${received} of ${size} bytes`);
    return received / (1024 * 1024) / ((performance.now() - start) / 1000);
  };
  const bare = await bareSocketPipe(work);
  // One warm-up pass each, then runs interleaved so that load on the machine hits both alike.
  await ours(128 * 1024 * 1024);
  await bare.pass(128 * 1024 * 1024);
  const oursRuns: number[] = [];
  const bareRuns: number[] = [];
  for (let i = 0; i < 3; i++) {
    oursRuns.push(await ours(GiB));
    bareRuns.push(await bare.pass(GiB));
  }
  await manager.close();
  bare.close();
  const mbps = median(oursRuns);
  const bareMbps = median(bareRuns);
  return [
    {
      name: "streaming 1 GiB through a plugin",
      value: mbps,
      unit: "MB/s",
      baseline: bareMbps,
      baselineName: "bare unix socket pipe, writer in its own process",
      goal: "≥ 0.85× bare",
      met: mbps >= 0.85 * bareMbps,
      higherIsBetter: true,
      note: `median of 3 interleaved runs after a warm-up; host RSS growth ${((peak - rssBefore) / 1e6).toFixed(1)} MB`,
    },
  ];
}
