// Benchmarks of what every `ocm` command pays (issue #15): `ocm --version` and `ocm get cv` on a small
// directory CTF, each beside `node -e 0` in the same run, runs interleaved so that load on the machine hits
// all alike. The CLI is built as `npm run build` ships it; the single-file bundle it replaced runs alongside.
import { execa } from "execa";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { REPO_ROOT } from "../../test/helpers/executables.js";
import { bundleCli, bundleNodeExecutable } from "../bundle-executable.js";
import { type Row, median, printRows } from "./report.js";

const RUNS = 21;

/** Wall time of one run of `node <args>` to its exit (ms); throws when it fails. */
function timeNode(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: "ignore", env });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve(performance.now() - start)
        : reject(new Error(`node ${args.join(" ")}: exit ${code}`)),
    );
  });
}

/** Runs the start-up benchmarks and prints the figures. */
export async function benchStartup(): Promise<Row[]> {
  const work = await mkdtemp(join(tmpdir(), "ocm-ts-bench-startup-"));
  try {
    const ocm = await bundleCli(REPO_ROOT, join(work, "shipped", "ocm.mjs"));
    const single = await bundleNodeExecutable(join(REPO_ROOT, "cmd/ocm.ts"), join(work, "single", "ocm.mjs"));
    const env = { ...process.env, HOME: work, XDG_CACHE_HOME: join(work, "cache"), OCM_PLUGIN_DIR: "" };
    const ctf = join(work, "ctf");
    await execa(
      process.execPath,
      [
        ocm,
        "add",
        "cv",
        "--create",
        "--repository",
        ctf,
        "--constructor",
        "examples/component-constructor.yaml",
      ],
      { cwd: REPO_ROOT, env },
    );
    const getCv = ["get", "cv", `${ctf}//acme.org/hello`];
    const cases = {
      node: ["-e", "0"],
      version: [ocm, "--version"],
      help: [ocm, "--help"],
      get: [ocm, ...getCv],
      singleVersion: [single, "--version"],
      singleGet: [single, ...getCv],
    };
    const times = Object.fromEntries(Object.keys(cases).map((k) => [k, [] as number[]])) as Record<
      keyof typeof cases,
      number[]
    >;
    // One warm-up round fills the page cache (and, from Node 22.1, the compile cache).
    for (let i = 0; i <= RUNS; i++) {
      for (const [name, args] of Object.entries(cases) as [keyof typeof cases, string[]][]) {
        const ms = await timeNode(args, env);
        if (i > 0) times[name].push(ms);
      }
    }
    const node = median(times.node);
    const at = (name: keyof typeof cases) => median(times[name]);
    const baselineName = "`node -e 0`";
    const note = `median of ${RUNS} interleaved runs`;
    const rows: Row[] = [
      {
        name: "ocm --version",
        value: at("version"),
        unit: "ms",
        baseline: node,
        baselineName,
        goal: "≤ 1.3× `node -e 0`",
        met: at("version") <= 1.3 * node,
        note: `${note}; the single-file bundle took ${at("singleVersion").toFixed(0)} ms`,
      },
      {
        name: "ocm --help",
        value: at("help"),
        unit: "ms",
        baseline: node,
        baselineName,
        note,
      },
      {
        name: "ocm get cv on a small directory CTF",
        value: at("get"),
        unit: "ms",
        baseline: node,
        baselineName,
        goal: "≤ `node -e 0` + 50 ms",
        met: at("get") <= node + 50,
        note: `${note}; the single-file bundle took ${at("singleGet").toFixed(0)} ms`,
      },
    ];
    printRows("start-up", rows);
    return rows;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
