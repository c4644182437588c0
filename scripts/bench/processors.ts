// Benchmark of processors in `ocm transfer` (issue 13): the cost of a chain that changes nothing, beside
// the same transfer with no chain, in the same run. A CTF of 40 component versions (each a small text blob
// and a 4 MiB blob) is transferred into a fresh CTF, through the library with the built-in plugins
// in-process: once without processors, once through one pass-through processor (Labels/v1 adding nothing,
// removing nothing), interleaved, median of 5 rounds after one warm-up round.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createPluginManager, transferWithProcessors, type TypedSpec } from "../../index.js";
import { type Row, median, printRows } from "./report.js";

const VERSIONS = 40;
const BLOB = 4 * 1024 * 1024;
const ROUNDS = 5;
const COMPONENT = "acme.org/bench-processors";
const PASS_THROUGH = [{ type: "Labels/v1", config: { transferredFrom: false } }];

async function* once(data: Uint8Array) {
  yield data;
}

/** A CTF with VERSIONS component versions of two local blobs each. */
async function prepare(work: string, manager: ReturnType<typeof createPluginManager>): Promise<TypedSpec> {
  const source: TypedSpec = {
    type: "CommonTransportFormat/v1",
    filePath: join(work, "source"),
    accessMode: "create",
  };
  const repo = await manager.getPlugin(source.type, "componentVersionRepository");
  for (let i = 0; i < VERSIONS; i++) {
    const version = `1.0.${i}`;
    const ref = { repository: source, component: COMPONENT, version };
    const text = await repo.addLocalBlob(
      { ...ref, mediaType: "text/plain" },
      once(Buffer.from(`readme ${i}\n`)),
    );
    const data = await repo.addLocalBlob(
      { ...ref, mediaType: "application/octet-stream" },
      once(randomBytes(BLOB)),
    );
    const resource = (name: string, blob: typeof text) => ({
      name,
      version,
      type: "blob",
      relation: "local",
      access: { type: "localBlob", localReference: blob.localReference, mediaType: blob.mediaType },
    });
    await repo.addComponentVersion({
      repository: source,
      descriptor: {
        meta: { schemaVersion: "v2" },
        component: {
          name: COMPONENT,
          version,
          provider: "acme.org",
          repositoryContexts: [],
          resources: [resource("readme", text), resource("data", data)],
          sources: [],
          componentReferences: [],
        },
      },
    });
  }
  return { type: source.type, filePath: source["filePath"] as string };
}

/** Prints the transfer time without processors and through a pass-through chain. */
export async function benchProcessors(): Promise<Row[]> {
  const work = await mkdtemp(join(tmpdir(), "ocm-bench-processors-"));
  const manager = createPluginManager({
    cacheFile: false,
    handleSignals: false,
    env: { OCM_PLUGIN_DIR: "" },
  });
  try {
    const source = await prepare(work, manager);
    const plain: number[] = [];
    const chained: number[] = [];
    // Round -1 warms both paths up (the first transfer of a process loads the plugins) and is not counted.
    for (let round = -1; round < ROUNDS; round++) {
      for (const [times, processors] of [
        [plain, []],
        [chained, PASS_THROUGH],
      ] as const) {
        const target = {
          type: source.type,
          filePath: join(work, `target-${round}-${processors.length}`),
          accessMode: "create",
        };
        const started = performance.now();
        await transferWithProcessors(manager, { source, target, processors });
        if (round >= 0) times.push(performance.now() - started);
        await rm(target.filePath, { recursive: true, force: true });
      }
    }
    const base = median(plain);
    const rows: Row[] = [
      { name: `transfer, ${VERSIONS} versions, no processors`, value: base, unit: "ms" },
      {
        name: `transfer, ${VERSIONS} versions, one pass-through processor`,
        value: median(chained),
        unit: "ms",
        baseline: base,
        baselineName: "no processors",
        note: `${((median(chained) - base) / VERSIONS).toFixed(2)} ms per version`,
      },
    ];
    printRows("processors: an empty chain vs none (CTF → CTF, in-process)", rows);
    return rows;
  } finally {
    await manager.close();
    await rm(work, { recursive: true, force: true });
  }
}
