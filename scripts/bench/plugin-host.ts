// Benchmarks of the plugin host, each beside a bare baseline measured in the same run (issue: plugin host).
// Figures, not assertions: `npm run bench` prints them with the ratio to the baseline and the goal.
import { chmod, copyFile, link, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { Client, Pool } from "undici";
import { discoverPlugins } from "../../manager/host/discover/discover-plugins.js";
import { REPO_ROOT } from "../../test/helpers/executables.js";
import { buildPluginExecutable } from "../build-plugins.js";
import { bundleNodeExecutable } from "../bundle-executable.js";
import { managerFor } from "./plugin-manager-for.js";
import { benchStreaming } from "./plugin-streaming.js";
import { type Row, median, percentile, printRows } from "./report.js";

/**
 * Bundles the echo plugin as a plugin is shipped: one ESM file, no inline source map, and `capabilities`
 * answered with the document printed at build (as `npm run build:plugins` builds plugins).
 */
async function bundlePlugin(work: string): Promise<{ path: string; bytes: number }> {
  const path = join(work, "echo-bench.mjs");
  await bundleNodeExecutable(join(REPO_ROOT, "test/fixtures/plugins/echo/main.ts"), path, {
    capabilitiesAtBuild: true,
  });
  return { path, bytes: (await stat(path)).size };
}

/**
 * Runs `node <args(i)>` for i = 0..count-1, all at once, to their exit (ms). Each in a session of its own,
 * as discovery runs plugins: Linux schedules each session as a group, so on a shared machine spawns in the
 * bench's own session would get less of the CPU than discovery's and the baseline would be unfairly slow.
 */
async function spawnAll(count: number, args: (i: number) => string[], files?: string[]): Promise<number> {
  const start = performance.now();
  await Promise.all(
    Array.from(
      { length: count },
      (_, i) =>
        new Promise<void>((resolve) => {
          const file = files?.[i] ?? process.execPath;
          const child = spawn(file, args(i), { stdio: "ignore", detached: true });
          child.on("exit", () => resolve());
        }),
    ),
  );
  return performance.now() - start;
}

const DISCOVERY_PLUGINS = 20;
const DISCOVERY_ROUNDS = 7;

/**
 * Discovery of 20 copies of the echo plugin in one form (ESM bundles run by node, or the single executables
 * `npm run build:plugins` makes), cold (every plugin asked) and warm (the cache answers), beside 20 bare node
 * spawns at once and 20 runs of the plugins' own `capabilities` at once, interleaved.
 */
async function benchDiscovery(work: string, plugin: string, form: "bundle" | "executable"): Promise<Row[]> {
  const dir = join(work, `discovery-${form}`);
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (let i = 0; i < DISCOVERY_PLUGINS; i++) {
    const path = join(dir, form === "bundle" ? `echo-${i}.mjs` : `echo-${i}`);
    // Single executables are hard links of one file: 20 copies would be 2 GB.
    if (form === "bundle") await copyFile(plugin, path);
    else await link(plugin, path);
    await chmod(path, 0o755);
    paths.push(path);
  }
  const ownArgs = (i: number) =>
    form === "bundle" ? [paths[i] as string, "capabilities"] : ["capabilities"];
  const cacheFile = join(work, `discovery-cache-${form}.json`);
  const cold: number[] = [];
  const warm: number[] = [];
  const bare: number[] = [];
  const own: number[] = [];
  let spawned = { cold: 0, warm: 0 };
  for (let round = 0; round < DISCOVERY_ROUNDS; round++) {
    bare.push(await spawnAll(DISCOVERY_PLUGINS, () => ["-e", "process.stdout.write('{}')"]));
    own.push(await spawnAll(DISCOVERY_PLUGINS, ownArgs, form === "executable" ? paths : undefined));
    await rm(cacheFile, { force: true });
    let start = performance.now();
    const first = await discoverPlugins({ dirs: [dir], cacheFile });
    cold.push(performance.now() - start);
    start = performance.now();
    const second = await discoverPlugins({ dirs: [dir], cacheFile });
    warm.push(performance.now() - start);
    spawned = { cold: first.spawned, warm: second.spawned };
  }
  const coldMs = median(cold);
  const bareMs = median(bare);
  const warmMs = median(warm);
  const note = `median of ${DISCOVERY_ROUNDS} interleaved runs`;
  const what = form === "bundle" ? "ESM bundles run by node" : "single executables (build:plugins)";
  return [
    {
      name: `discovery of ${DISCOVERY_PLUGINS} plugins, cold, ${what}`,
      value: coldMs,
      unit: "ms",
      baseline: bareMs,
      baselineName: `${DISCOVERY_PLUGINS} bare node spawns at once`,
      goal: "≤ 1.2× bare",
      met: coldMs <= 1.2 * bareMs,
      note: `${note}; spawned ${spawned.cold}; the plugins' own \`capabilities\`, ${DISCOVERY_PLUGINS} at once: ${median(own).toFixed(0)} ms; ${availableParallelism()} cores`,
    },
    {
      name: `discovery of ${DISCOVERY_PLUGINS} plugins, warm, ${what}`,
      value: warmMs,
      unit: "ms",
      goal: "< 30 ms",
      note: `${note}; spawned ${spawned.warm}`,
      met: warmMs < 30 && spawned.warm === 0,
    },
  ];
}

const BARE_RT_SERVER = `
import { createServer } from "node:http";
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => { res.setHeader("content-type", "application/json"); res.end('{"components":[]}'); });
});
server.listen(process.argv[2], () => process.stdout.write("ready\\n"));
process.stdin.on("end", () => process.exit(0)); process.stdin.resume();
`;

const BARE_SERVER = `
import { createServer } from "node:http";
const server = createServer((req, res) => { res.setHeader("content-type", "application/json"); res.end('{"ok":true}'); });
server.listen(process.argv[2], () => process.stdout.write("ready\\n"));
process.stdin.on("end", () => process.exit(0)); process.stdin.resume();
`;

/** One bare spawn to its first HTTP answer: a `node` script with a node:http server on a unix socket. */
async function bareSpawnToAnswer(script: string, socketPath: string): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, [script, socketPath], { stdio: ["pipe", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  const client = new Client("http://localhost", { socketPath });
  const res = await client.request({ path: "/", method: "GET" });
  await res.body.text();
  const ms = performance.now() - start;
  await client.close();
  child.kill("SIGTERM");
  return ms;
}

/** One lazy start of the only plugin in `dir`, from getPlugin to the first answered call. */
async function lazyStart(work: string, dir: string): Promise<number> {
  const manager = managerFor(work, dir);
  await manager.list(); // discovery is not part of the start
  const start = performance.now();
  const lister = await manager.getPlugin("Echo/v1", "componentLister");
  await lister.listComponents({ repository: { type: "Echo/v1" } });
  const ms = performance.now() - start;
  await manager.close();
  return ms;
}

/**
 * The echo plugin in the two forms it can ship in, each started lazily beside a bare node spawn, runs
 * interleaved so that load on the machine hits all three alike: the single executable `npm run
 * build:plugins` makes (ADR 0002, the form `ocm plugin install` installs), and the ESM bundle run by node.
 */
async function benchLazyStart(work: string, plugin: string, bytes: number, seaDir: string): Promise<Row[]> {
  const mjsDir = join(work, "lazy-mjs");
  await mkdir(mjsDir, { recursive: true });
  await copyFile(plugin, join(mjsDir, "echo.mjs"));
  await chmod(join(mjsDir, "echo.mjs"), 0o755);
  const script = join(work, "bare-server.mjs");
  await writeFile(script, BARE_SERVER);
  const runs = 21;
  const sea: number[] = [];
  const mjs: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    sea.push(await lazyStart(work, seaDir));
    mjs.push(await lazyStart(work, mjsDir));
    bare.push(await bareSpawnToAnswer(script, join(work, `bare-${i}.sock`)));
  }
  const baseline = median(bare);
  const baselineName = "bare node script spawned to its first HTTP answer";
  return [
    {
      name: "lazy start to first answered call, single executable (build:plugins)",
      value: median(sea),
      unit: "ms",
      baseline,
      baselineName,
      goal: "≤ 1.3× bare",
      met: median(sea) <= 1.3 * baseline,
      note: `median of ${runs}, interleaved with the other two`,
    },
    {
      name: "lazy start to first answered call, ESM bundle run by node",
      value: median(mjs),
      unit: "ms",
      baseline,
      baselineName,
      note: `plugin bundle ${(bytes / 1024).toFixed(0)} KiB`,
    },
  ];
}

async function benchRoundTrips(work: string, plugin: string): Promise<Row[]> {
  const dir = join(work, "rt");
  await mkdir(dir, { recursive: true });
  await copyFile(plugin, join(dir, "echo.mjs"));
  await chmod(join(dir, "echo.mjs"), 0o755);
  const manager = managerFor(work, dir);
  const lister = await manager.getPlugin("Echo/v1", "componentLister");
  const call = () => lister.listComponents({ repository: { type: "Echo/v1" } });
  await call();
  // The bare server runs in its own process, as the plugin does, and reads the body before answering.
  const socketPath = join(work, "bare-rt.sock");
  const script = join(work, "bare-rt-server.mjs");
  await writeFile(script, BARE_RT_SERVER);
  const bareServer = spawn(process.execPath, [script, socketPath], { stdio: ["pipe", "pipe", "inherit"] });
  await new Promise<void>((resolve) => bareServer.stdout.once("data", () => resolve()));
  const client = new Pool("http://localhost", { socketPath, connections: 64 });
  const bareCall = async () => {
    const res = await client.request({ path: "/", method: "POST", body: '{"repository":{"type":"x"}}' });
    await res.body.json();
  };
  const sequential = async (fn: () => Promise<unknown>, n: number) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    return times;
  };
  const parallel = async (fn: () => Promise<unknown>, total: number, inFlight: number) => {
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next++ < total) await fn();
      }),
    );
    return (total / (performance.now() - start)) * 1000;
  };
  await sequential(bareCall, 200);
  await sequential(call, 200);
  const ours = await sequential(call, 3000);
  const bare = await sequential(bareCall, 3000);
  const oursRate = await parallel(call, 20_000, 64);
  const bareRate = await parallel(bareCall, 20_000, 64);
  await manager.close();
  await client.close();
  bareServer.kill("SIGTERM");
  return [
    {
      name: "small call round trip p50",
      value: percentile(ours, 50),
      unit: "ms",
      baseline: percentile(bare, 50),
      baselineName: "bare undici → node:http in its own process on a unix socket",
      goal: "≤ 1.5× bare",
      met: percentile(ours, 50) <= 1.5 * percentile(bare, 50),
    },
    {
      name: "small call round trip p99",
      value: percentile(ours, 99),
      unit: "ms",
      baseline: percentile(bare, 99),
      baselineName: "bare undici → node:http in its own process on a unix socket",
    },
    {
      name: "calls/s with 64 in flight",
      value: oursRate,
      unit: "calls/s",
      baseline: bareRate,
      baselineName: "bare undici → node:http",
      goal: "≥ 0.85× bare",
      met: oursRate >= 0.85 * bareRate,
      higherIsBetter: true,
    },
  ];
}

/** Runs every plugin-host benchmark and prints the figures. */
export async function benchPluginHost(): Promise<Row[]> {
  const work = await mkdtemp(join(tmpdir(), "ocm-ts-bench-"));
  try {
    const { path: plugin, bytes } = await bundlePlugin(work);
    const seaDir = join(work, "lazy-sea");
    const sea = await buildPluginExecutable({
      entry: join(REPO_ROOT, "test/fixtures/plugins/echo/main.ts"),
      name: "echo",
      outDir: seaDir,
    });
    const rows = [
      ...(await benchDiscovery(work, plugin, "bundle")),
      ...(await benchDiscovery(work, sea, "executable")),
      ...(await benchLazyStart(work, plugin, bytes, seaDir)),
      ...(await benchRoundTrips(work, plugin)),
      ...(await benchStreaming(work, plugin)),
    ];
    printRows("plugin host", rows);
    return rows;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
