// Benchmarks of the CTF path (issues: OCM model and CTF, #15): adding a 1 GiB file resource to a directory CTF
// and downloading it again. Ours hashes every byte and writes it once, so its baseline is the shell pipeline
// that does the same, `tee dest < file | sha256sum`, and both end with `sync` so that both pay for the bytes
// reaching the disk. A plain `cp` is printed too: of a file the page cache holds, it is no limit, only a
// reference. Runs are interleaved so that load on the machine hits all three alike.
import { execa } from "execa";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { addComponentVersions } from "../../manager/operations/add-component-versions.js";
import { downloadResource } from "../../manager/operations/download-resource.js";
import { createPluginManager } from "../../index.js";
import { writeGeneratedFile } from "./generated-file.js";
import { type Row, median, printRows } from "./report.js";

const SIZE = 1024 * 1024 * 1024;
const MiB = 1024 * 1024;
const ROUNDS = 3;

/** MB/s of `run`, which moves SIZE bytes; `to` is removed afterwards. */
async function rate(run: () => Promise<unknown>, to?: string): Promise<number> {
  const start = performance.now();
  await run();
  const seconds = (performance.now() - start) / 1000;
  if (to) await rm(to, { recursive: true, force: true });
  return SIZE / MiB / seconds;
}

const cp = (from: string, to: string) => execa("cp", [from, to]);
/** What ours does in shell terms: one write of every byte and its SHA-256, then the bytes on disk. */
const pipeline = (from: string, to: string) =>
  execa("bash", ["-c", 'tee "$2" < "$1" | sha256sum > /dev/null && sync', "pipeline", from, to]);
const sync = () => execa("sync");

/** The largest blob of the directory CTF at `ctf`: the 1 GiB resource. */
async function largestBlob(ctf: string): Promise<string> {
  const dir = join(ctf, "blobs");
  const sized = await Promise.all(
    (await readdir(dir)).map(async (name) => ({
      path: join(dir, name),
      size: (await stat(join(dir, name))).size,
    })),
  );
  return sized.sort((a, b) => b.size - a.size)[0]?.path ?? dir;
}

/** Runs the CTF benchmarks and prints the figures. */
export async function benchCtf(): Promise<Row[]> {
  const work = await mkdtemp(join(tmpdir(), "ocm-ts-bench-ctf-"));
  try {
    const input = join(work, "big.bin");
    await writeGeneratedFile(input, SIZE);
    const constructor = join(work, "constructor.yaml");
    await writeFile(
      constructor,
      "components:\n  - name: acme.org/big\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n" +
        "      - name: blob\n        type: blob\n        input: {type: file, path: big.bin, mediaType: application/octet-stream}\n",
    );
    const manager = createPluginManager({ cacheFile: false, handleSignals: false, logLevel: "silent" });
    const ctf = join(work, "ctf");
    const repository = { type: "CommonTransportFormat/v1", filePath: ctf, accessMode: "create" };
    const copy = join(work, "copy.bin");
    const out = join(work, "out.bin");
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const runs = { add: [] as number[], addPipe: [] as number[], addCp: [] as number[] };
    const down = { ours: [] as number[], pipe: [] as number[], cp: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      await rm(ctf, { recursive: true, force: true });
      runs.addPipe.push(await rate(() => pipeline(input, copy), copy));
      runs.addCp.push(await rate(() => cp(input, copy), copy));
      runs.add.push(
        await rate(async () => {
          await addComponentVersions(manager, { repository, constructorPath: constructor });
          await sync();
        }),
      );
      const blob = await largestBlob(ctf);
      down.pipe.push(await rate(() => pipeline(blob, copy), copy));
      down.cp.push(await rate(() => cp(blob, copy), copy));
      down.ours.push(
        await rate(async () => {
          await downloadResource(manager, {
            repository,
            component: "acme.org/big",
            version: "1.0.0",
            identity: { name: "blob" },
            output: out,
          });
          await sync();
        }, out),
      );
    }
    clearInterval(sampler);
    await manager.close();
    const note = `median of ${ROUNDS} interleaved runs; peak RSS growth ${((peak - rssBefore) / 1e6).toFixed(1)} MB`;
    const pipelineName = "`tee dest < file | sha256sum`, then `sync`";
    const add = median(runs.add);
    const addPipe = median(runs.addPipe);
    const download = median(down.ours);
    const downloadPipe = median(down.pipe);
    const rows: Row[] = [
      {
        name: "add a 1 GiB file resource to a directory CTF, then sync",
        value: add,
        unit: "MB/s",
        baseline: addPipe,
        baselineName: pipelineName,
        goal: "≥ 1.0× the pipeline",
        met: add >= addPipe,
        higherIsBetter: true,
        note,
      },
      {
        name: "the same add, beside cp",
        value: add,
        unit: "MB/s",
        baseline: median(runs.addCp),
        baselineName: "cp of the same file, no sync",
        higherIsBetter: true,
      },
      {
        name: "download a 1 GiB resource from a directory CTF, then sync",
        value: download,
        unit: "MB/s",
        baseline: downloadPipe,
        baselineName: `${pipelineName} of the blob`,
        goal: "≥ 0.8× the pipeline",
        met: download >= 0.8 * downloadPipe,
        higherIsBetter: true,
        note,
      },
      {
        name: "the same download, beside cp",
        value: download,
        unit: "MB/s",
        baseline: median(down.cp),
        baselineName: "cp of the blob, no sync",
        higherIsBetter: true,
      },
    ];
    printRows("CTF", rows);
    return rows;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
