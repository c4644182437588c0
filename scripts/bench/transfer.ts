// Benchmarks of `ocm transfer` into a registry (issue 4): a component version with 4 × 64 MiB local blobs
// from a CTF into a fresh `docker-registry`, beside `skopeo copy` of an OCI image layout with the same four
// layers into another fresh registry, in the same run; then each again into its populated registry. Both
// tools run as child processes; their peak RSS is read from /proc (VmHWM) while they run.
import { execa, type ResultPromise } from "execa";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { link, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { REPO_ROOT } from "../../test/helpers/executables.js";
import { bundleCli } from "../bundle-executable.js";
import { startRegistry, type RunningRegistry } from "../../test/helpers/registry.js";
import { type Row, median, printRows } from "./report.js";

const MiB = 1024 * 1024;
const LAYERS = 4;
const LAYER_SIZE = 64 * MiB;
const ROUNDS = 3;
const INSTALL = "apt-get install -y docker-registry skopeo";
const COMPONENT = "acme.org/bench";

/** Writes the layers, a CTF holding them as local blobs of one component version, and an OCI layout of them. */
async function prepare(work: string, ocm: string): Promise<{ ctf: string; layout: string }> {
  const layout = join(work, "layout");
  const blobs = join(layout, "blobs", "sha256");
  await mkdir(blobs, { recursive: true });
  const layers: { digest: string; size: number; file: string }[] = [];
  for (let i = 0; i < LAYERS; i++) {
    const file = join(work, `layer-${i}.bin`);
    const bytes = randomBytes(LAYER_SIZE);
    await writeFile(file, bytes);
    const hex = createHash("sha256").update(bytes).digest("hex");
    await link(file, join(blobs, hex));
    layers.push({ digest: `sha256:${hex}`, size: LAYER_SIZE, file });
  }
  const store = async (text: string) => {
    const bytes = Buffer.from(text);
    const hex = createHash("sha256").update(bytes).digest("hex");
    await writeFile(join(blobs, hex), bytes);
    return { digest: `sha256:${hex}`, size: bytes.length };
  };
  // Uncompressed layers: their diff IDs are their digests.
  const config = await store(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config: {},
      rootfs: { type: "layers", diff_ids: layers.map((l) => l.digest) },
    }),
  );
  const manifest = await store(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
      layers: layers.map(({ digest, size }) => ({
        mediaType: "application/vnd.oci.image.layer.v1.tar",
        digest,
        size,
      })),
    }),
  );
  await writeFile(join(layout, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  await writeFile(
    join(layout, "index.json"),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          ...manifest,
          annotations: { "org.opencontainers.image.ref.name": "1.0.0" },
        },
      ],
    }),
  );
  const constructor = join(work, "constructor.yaml");
  await writeFile(
    constructor,
    `components:\n  - name: ${COMPONENT}\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n` +
      layers
        .map(
          (l, i) =>
            `      - {name: layer-${i}, type: blob, input: {type: file, path: ${l.file}, mediaType: application/octet-stream}}\n`,
        )
        .join(""),
  );
  const ctf = join(work, "ctf");
  await execa(ocm, ["add", "cv", "--create", "--repository", ctf, "--constructor", constructor], {
    env: { HOME: work, OCM_PLUGIN_DIR: "" },
  });
  return { ctf, layout };
}

/** Runs a child process to its end; returns its wall time in seconds and its peak RSS in MB. */
async function measure(child: ResultPromise): Promise<{ seconds: number; rssMb: number }> {
  const start = performance.now();
  let peakKb = 0;
  const sample = async () => {
    const status = await readFile(`/proc/${String(child.pid)}/status`, "utf8").catch(() => "");
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    if (hwm !== undefined) peakKb = Math.max(peakKb, Number(hwm));
  };
  const sampler = setInterval(() => void sample(), 10);
  try {
    await child;
  } finally {
    clearInterval(sampler);
  }
  return { seconds: (performance.now() - start) / 1000, rssMb: peakKb / 1024 };
}

interface Round {
  ocm: [number, number];
  skopeo: [number, number];
  ocmRss: number;
  skopeoRss: number;
  /** `ocm --version`: the CLI's start and exit alone. */
  start: number;
  /** `node -e 0`: Node's own start and exit, the floor of any command of a Node CLI. */
  nodeStart: number;
}

async function runRound(work: string, ocm: string, ctf: string, layout: string): Promise<Round> {
  const registries: RunningRegistry[] = [];
  try {
    const forOcm = await startRegistry();
    registries.push(forOcm);
    const forSkopeo = await startRegistry();
    registries.push(forSkopeo);
    const transfer = () =>
      measure(
        execa(ocm, ["transfer", `${ctf}//${COMPONENT}:1.0.0`, forOcm.host, "-q"], {
          env: { HOME: work, OCM_PLUGIN_DIR: "" },
        }),
      );
    const copy = () =>
      measure(
        execa("skopeo", [
          "copy",
          "--quiet",
          "--dest-tls-verify=false",
          `oci:${layout}:1.0.0`,
          `docker://${forSkopeo.host}/bench/image:1.0.0`,
        ]),
      );
    const start = await measure(execa(ocm, ["--version"], { env: { HOME: work, OCM_PLUGIN_DIR: "" } }));
    const nodeStart = await measure(execa(process.execPath, ["-e", "0"]));
    const ocmFirst = await transfer();
    const skopeoFirst = await copy();
    const ocmSecond = await transfer();
    const skopeoSecond = await copy();
    return {
      ocm: [ocmFirst.seconds, ocmSecond.seconds],
      skopeo: [skopeoFirst.seconds, skopeoSecond.seconds],
      ocmRss: Math.max(ocmFirst.rssMb, ocmSecond.rssMb),
      skopeoRss: Math.max(skopeoFirst.rssMb, skopeoSecond.rssMb),
      start: start.seconds,
      nodeStart: nodeStart.seconds,
    };
  } finally {
    for (const registry of registries.reverse()) await registry.stop();
  }
}

/** Runs the transfer benchmarks and prints the figures (or why they were skipped). */
export async function benchTransfer(): Promise<Row[]> {
  const skopeo = await execa("skopeo", ["--version"], { reject: false });
  if (!existsSync("/usr/bin/docker-registry") || skopeo.exitCode !== 0) {
    console.log(
      `\n== transfer ==\n  skipped: docker-registry or skopeo is missing; install with \`${INSTALL}\``,
    );
    return [];
  }
  const work = await mkdtemp(join(tmpdir(), "ocm-ts-bench-transfer-"));
  try {
    // The ocm CLI as shipped: `npm run build`'s single-file bundle.
    const ocm = await bundleCli(REPO_ROOT, join(work, "ocm.mjs"));
    const { ctf, layout } = await prepare(work, ocm);
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await runRound(work, ocm, ctf, layout));
    const pick = (f: (r: Round) => number) => median(rounds.map(f));
    const rss = `peak RSS ocm ${pick((r) => r.ocmRss).toFixed(0)} MB, skopeo ${pick((r) => r.skopeoRss).toFixed(0)} MB`;
    const row = (name: string, which: 0 | 1, baselineName: string, note = rss): Row => {
      const value = pick((r) => r.ocm[which]);
      const baseline = pick((r) => r.skopeo[which]);
      return {
        name,
        value,
        unit: "s",
        baseline,
        baselineName,
        goal: "≤ 1.0× skopeo",
        met: value <= baseline,
        note,
      };
    };
    const rows = [
      row(
        `ocm transfer of ${LAYERS} × 64 MiB local blobs CTF → fresh registry (median of ${ROUNDS})`,
        0,
        "skopeo copy of an OCI layout with the same layers",
      ),
      row(
        "the same transfer again into the populated registry",
        1,
        "skopeo's second copy into its populated registry",
        `${rss}; ocm --version alone takes ${pick((r) => r.start).toFixed(3)} s, bare \`node -e 0\` ${pick((r) => r.nodeStart).toFixed(3)} s`,
      ),
    ];
    printRows("transfer", rows);
    return rows;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
