// Benchmarks of the CTF path (issues: OCM model and CTF, #15): adding a 1 GiB file resource to a directory CTF
// and downloading it again. Ours hashes every byte and writes it once, so its baseline is the shell pipeline
// that does the same, `tee dest < file | sha256sum`, and both end with `sync` so that both pay for the bytes
// reaching the disk. A plain `cp` is printed too: of a file the page cache holds, it is no limit, only a
// reference. Runs are interleaved so that load on the machine hits all three alike. Adding a small version to
// a tgz CTF that holds a large blob rewrites the archive (#15 item 3): it is timed beside the floor of such
// a rewrite, every byte gunzipped and gzipped again into a new file, then `sync`.
import { execa } from "execa";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { addComponentVersions } from "../../manager/operations/add-component-versions.js";
import { downloadResource } from "../../manager/operations/download-resource.js";
import { createPluginManager, type PluginManager } from "../../index.js";
import { writeGeneratedFile } from "./generated-file.js";
import { type Row, median, printRows } from "./report.js";

const SIZE = 1024 * 1024 * 1024;
const MiB = 1024 * 1024;
const ROUNDS = 3;
const TGZ_BLOB = 256 * MiB;
const TGZ_ROUNDS = 3;

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

/** Writes `size` random (incompressible) bytes to `path`. */
async function writeRandomFile(path: string, size: number): Promise<void> {
  const out = createWriteStream(path);
  for (let written = 0; written < size; written += MiB) {
    if (!out.write(randomBytes(Math.min(MiB, size - written)))) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/** A constructor of acme.org/<name>:<version> with the file `input` as its one resource. */
async function writeConstructor(path: string, name: string, version: string, input: string): Promise<void> {
  await writeFile(
    path,
    `components:\n  - name: acme.org/${name}\n    version: ${version}\n    provider: {name: acme.org}\n` +
      `    resources:\n      - name: blob\n        type: blob\n` +
      `        input: {type: file, path: ${input}, mediaType: application/octet-stream}\n`,
  );
}

/** Seconds that `run` takes. */
async function seconds(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

/**
 * Adds a small component version (one 1 KiB resource) to a tgz CTF that holds a 256 MiB random blob,
 * beside the floor of rewriting that archive atomically: its index comes first, so no byte of the old gzip
 * stream can be kept as it is, and every byte is gunzipped and gzipped again (level 6, as ours) into a new
 * file, then synced.
 */
async function benchTgzAdd(work: string, manager: PluginManager): Promise<Row> {
  const ctf = join(work, "ctf.tgz");
  const copy = join(work, "rewritten.tgz");
  const repository = {
    type: "CommonTransportFormat/v1",
    filePath: ctf,
    accessMode: "create",
    fileFormat: "tgz",
  };
  await writeRandomFile(join(work, "random.bin"), TGZ_BLOB);
  await writeConstructor(join(work, "random.yaml"), "random", "1.0.0", "random.bin");
  await addComponentVersions(manager, { repository, constructorPath: join(work, "random.yaml") });
  await rm(join(work, "random.bin"));
  await writeFile(join(work, "small.bin"), randomBytes(1024));
  const ours: number[] = [];
  const floor: number[] = [];
  for (let round = 0; round < TGZ_ROUNDS; round++) {
    const rewrite = 'gzip -dc "$1" | gzip > "$2" && sync';
    floor.push(await seconds(() => execa("bash", ["-c", rewrite, "rewrite", ctf, copy])));
    await rm(copy);
    const constructorPath = join(work, `small-${round}.yaml`);
    await writeConstructor(constructorPath, "random", `1.1.${round}`, "small.bin");
    ours.push(
      await seconds(async () => {
        await addComponentVersions(manager, { repository, constructorPath });
        await sync();
      }),
    );
  }
  const size = (await stat(ctf)).size;
  const value = median(ours);
  return {
    name: "add a small component version to a tgz CTF holding a 256 MiB random blob, then sync",
    value,
    unit: "s",
    baseline: median(floor),
    baselineName: "`gzip -dc ctf.tgz | gzip > new`, then `sync`: the floor of an atomic rewrite",
    higherIsBetter: false,
    note:
      `median of ${TGZ_ROUNDS} interleaved runs; archive ${(size / MiB).toFixed(0)} MiB; ` +
      "the add is two calls (the blob, then the version), each one rewrite",
  };
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
    const tgzAdd = await benchTgzAdd(work, manager);
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
      tgzAdd,
    ];
    printRows("CTF", rows);
    return rows;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
