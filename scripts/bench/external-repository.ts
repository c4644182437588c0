// Benchmark of a repository served by an external plugin (issue #11): `ocm transfer` of a component version
// with one 1 GiB local blob from a directory CTF into the Python `FileRepository/v1` test plugin
// (test/fixtures/plugins/file-repository, standard library only), beside the same transfer into a new
// directory CTF, interleaved in the same run. Both run the bundled CLI as a child process, so both pay its
// start; the plugin's costs (its start, the blob over a unix socket, Python hashing and writing) are the gap.
import { execa } from "execa";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { REPO_ROOT } from "../../test/helpers/executables.js";
import { bundleCli } from "../bundle-executable.js";
import { writeGeneratedFile } from "./generated-file.js";
import { type Row, median, printRows } from "./report.js";

const SIZE = 1024 * 1024 * 1024;
const MiB = 1024 * 1024;
const ROUNDS = 3;
const COMPONENT = "acme.org/big";
const PLUGIN = join(REPO_ROOT, "test/fixtures/plugins/file-repository/file_repository.py");

/** Seconds of one `ocm transfer` of the component version into `target`, which must not exist yet. */
async function timeTransfer(ocm: string, env: Record<string, string>, from: string, target: string) {
  const start = performance.now();
  await execa(ocm, ["transfer", "-q", `${from}//${COMPONENT}:1.0.0`, target], { env });
  return (performance.now() - start) / 1000;
}

/** Runs the external repository benchmark and prints the figures (or why it was skipped). */
export async function benchExternalRepository(): Promise<Row[]> {
  const python = await execa("python3", ["--version"], { reject: false });
  if (python.exitCode !== 0) {
    console.log("\n== external repository plugin ==\n  skipped: python3 is missing");
    return [];
  }
  const work = await mkdtemp(join(tmpdir(), "ocm-ts-bench-external-"));
  try {
    const ocm = await bundleCli(REPO_ROOT, join(work, "ocm.mjs"));
    const plugins = join(work, "plugins");
    await mkdir(plugins);
    await copyFile(PLUGIN, join(plugins, "file-repository"));
    const env = { HOME: work, XDG_CACHE_HOME: join(work, "cache"), OCM_PLUGIN_DIR: plugins };
    await writeGeneratedFile(join(work, "big.bin"), SIZE);
    await writeFile(
      join(work, "constructor.yaml"),
      `components:\n  - name: ${COMPONENT}\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n` +
        "      - name: blob\n        type: blob\n        input: {type: file, path: big.bin, mediaType: application/octet-stream}\n",
    );
    const source = join(work, "source");
    await execa(ocm, ["add", "cv", "--create", "--repository", source, "--constructor", "constructor.yaml"], {
      cwd: work,
      env,
    });
    // Discovery once, outside the timings: its cache keeps the plugin from being asked again.
    await execa(ocm, ["plugin", "list"], { env });

    const plugin: number[] = [];
    const ctf: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const store = join(work, `store-${i}`);
      const copy = join(work, `copy-${i}`);
      // Alternate which goes first, so neither always finds a warm page cache or a busy disk.
      const intoPlugin = async () => plugin.push(await timeTransfer(ocm, env, source, `filerepo::${store}`));
      const intoCtf = async () => ctf.push(await timeTransfer(ocm, env, source, copy));
      if (i % 2 === 0) {
        await intoPlugin();
        await intoCtf();
      } else {
        await intoCtf();
        await intoPlugin();
      }
      await rm(store, { recursive: true, force: true });
      await rm(copy, { recursive: true, force: true });
    }
    const rate = (seconds: number[]) => SIZE / MiB / median(seconds);
    const value = rate(plugin);
    const baseline = rate(ctf);
    const rows: Row[] = [
      {
        name: `ocm transfer of a 1 GiB local blob CTF → external Python FileRepository/v1 plugin (median of ${ROUNDS})`,
        value,
        unit: "MB/s",
        baseline,
        baselineName: "the same transfer CTF → new directory CTF",
        higherIsBetter: true,
        note: `median ${median(plugin).toFixed(2)} s vs ${median(ctf).toFixed(2)} s, each including the CLI's start`,
      },
    ];
    printRows("external repository plugin", rows);
    return rows;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
