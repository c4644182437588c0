// Benchmarks of the CTF path (issue: OCM model and CTF): adding and downloading a 1 GiB resource, each beside
// a plain `cp` of the same file in the same run. Ours also hashes every byte and checks the digest; cp does not.
import { execa } from "execa";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { addComponentVersions } from "../../manager/operations/add-component-versions.js";
import { downloadResource } from "../../manager/operations/download-resource.js";
import { createPluginManager } from "../../index.js";
import { writeGeneratedFile } from "./generated-file.js";
import { type Row, printRows } from "./report.js";

const SIZE = 1024 * 1024 * 1024;
const MiB = 1024 * 1024;

async function timeCp(from: string, to: string): Promise<number> {
  const start = performance.now();
  await execa("cp", [from, to]);
  const seconds = (performance.now() - start) / 1000;
  await rm(to, { force: true });
  return SIZE / MiB / seconds;
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
    const repository = {
      type: "CommonTransportFormat/v1",
      filePath: join(work, "ctf"),
      accessMode: "create",
    };
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);

    const cpIn = await timeCp(input, join(work, "copy.bin"));
    let start = performance.now();
    await addComponentVersions(manager, { repository, constructorPath: constructor });
    const addRate = SIZE / MiB / ((performance.now() - start) / 1000);

    const cpOut = await timeCp(input, join(work, "copy.bin"));
    start = performance.now();
    await downloadResource(manager, {
      repository,
      component: "acme.org/big",
      version: "1.0.0",
      identity: { name: "blob" },
      output: join(work, "out.bin"),
    });
    const downloadRate = SIZE / MiB / ((performance.now() - start) / 1000);
    clearInterval(sampler);
    await manager.close();
    const rss = `peak RSS growth ${((peak - rssBefore) / 1e6).toFixed(1)} MB`;
    const rows: Row[] = [
      {
        name: "add a 1 GiB file resource to a directory CTF",
        value: addRate,
        unit: "MB/s",
        baseline: cpIn,
        baselineName: "cp of the same file",
        higherIsBetter: true,
        note: rss,
      },
      {
        name: "download a 1 GiB resource from a directory CTF",
        value: downloadRate,
        unit: "MB/s",
        baseline: cpOut,
        baselineName: "cp of the same file",
        higherIsBetter: true,
        note: rss,
      },
    ];
    printRows("CTF", rows);
    return rows;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
