// Benchmarks of `ocm transfer` into a registry (issues 4, #15): a component version with 4 × 64 MiB local
// blobs from a CTF into a fresh `docker-registry`, beside `skopeo copy` of an OCI image layout with the same
// four layers into another fresh registry and the raw upload floor (the same blobs uploaded by curl into a
// third), in the same run; then ocm and skopeo again into their populated registries, the no-op transfer.
// The tools run as child processes; their peak RSS is read from /proc (VmHWM) while they run.
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
async function prepare(work: string, ocm: string): Promise<{ ctf: string; layout: string; layers: Layer[] }> {
  const layout = join(work, "layout");
  const blobs = join(layout, "blobs", "sha256");
  await mkdir(blobs, { recursive: true });
  const layers: Layer[] = [];
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
  return { ctf, layout, layers };
}

interface Layer {
  digest: string;
  size: number;
  file: string;
}

/**
 * The raw upload floor: every layer uploaded to `host` by its own curl, all at once, as a monolithic upload
 * (OCI distribution spec): a POST opens the session, one PUT carries the whole blob. Returns seconds.
 */
async function uploadWithCurl(host: string, layers: Layer[]): Promise<number> {
  const start = performance.now();
  await Promise.all(
    layers.map(async ({ file, digest }) => {
      const opened = await execa("curl", [
        ...["-sS", "-f", "-X", "POST", "-D", "-", "-o", "/dev/null"],
        `http://${host}/v2/bench/floor/blobs/uploads/`,
      ]);
      const location = /^location:\s*(\S+)/im.exec(opened.stdout)?.[1];
      if (!location) throw new Error(`the registry opened no upload session: ${opened.stdout}`);
      const url = new URL(location, `http://${host}`);
      url.searchParams.set("digest", digest);
      await execa("curl", [
        ...["-sS", "-f", "-X", "PUT", "-H", "Expect:", "-H", "Content-Type: application/octet-stream"],
        ...["--upload-file", file, url.href],
      ]);
    }),
  );
  return (performance.now() - start) / 1000;
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
  /** The same blobs uploaded by curl into a fresh registry. */
  floor: number;
  /** `ocm --version`: the CLI's start and exit alone. */
  start: number;
  /** `node -e 0`: Node's own start and exit, the floor of any command of a Node CLI. */
  nodeStart: number;
}

async function runRound(
  work: string,
  ocm: string,
  ctf: string,
  layout: string,
  layers: Layer[],
): Promise<Round> {
  const registries: RunningRegistry[] = [];
  try {
    const forOcm = await startRegistry();
    registries.push(forOcm);
    const forSkopeo = await startRegistry();
    registries.push(forSkopeo);
    const forCurl = await startRegistry();
    registries.push(forCurl);
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
    const floor = await uploadWithCurl(forCurl.host, layers);
    const ocmSecond = await transfer();
    const skopeoSecond = await copy();
    return {
      ocm: [ocmFirst.seconds, ocmSecond.seconds],
      skopeo: [skopeoFirst.seconds, skopeoSecond.seconds],
      ocmRss: Math.max(ocmFirst.rssMb, ocmSecond.rssMb),
      skopeoRss: Math.max(skopeoFirst.rssMb, skopeoSecond.rssMb),
      floor,
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
    const { ctf, layout, layers } = await prepare(work, ocm);
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await runRound(work, ocm, ctf, layout, layers));
    const pick = (f: (r: Round) => number) => median(rounds.map(f));
    const rss = `peak RSS ocm ${pick((r) => r.ocmRss).toFixed(0)} MB, skopeo ${pick((r) => r.skopeoRss).toFixed(0)} MB`;
    const first = pick((r) => r.ocm[0]);
    const floor = pick((r) => r.floor);
    const again = pick((r) => r.ocm[1]);
    const nodeStart = pick((r) => r.nodeStart);
    const skopeoAgain = pick((r) => r.skopeo[1]);
    const note = `median of ${ROUNDS} interleaved rounds; ${rss}`;
    const rows: Row[] = [
      {
        name: `ocm transfer of ${LAYERS} × 64 MiB local blobs CTF → fresh registry`,
        value: first,
        unit: "s",
        baseline: floor,
        baselineName: "raw upload floor: the same blobs, one curl upload each, at once",
        goal: "≤ 1.1× the floor",
        met: first <= 1.1 * floor,
        note,
      },
      {
        name: "the same first transfer, beside skopeo",
        value: first,
        unit: "s",
        baseline: pick((r) => r.skopeo[0]),
        baselineName: "skopeo copy of an OCI layout with the same layers",
      },
      {
        name: "the same transfer again into the populated registry (nothing to copy)",
        value: again,
        unit: "s",
        baseline: skopeoAgain + nodeStart,
        baselineName: "skopeo's second copy + `node -e 0`",
        goal: "≤ `node -e 0` + skopeo's second copy",
        met: again <= skopeoAgain + nodeStart,
        note: `skopeo's second copy ${skopeoAgain.toFixed(3)} s, \`node -e 0\` ${nodeStart.toFixed(3)} s, ocm --version ${pick((r) => r.start).toFixed(3)} s`,
      },
    ];
    printRows("transfer", rows);
    return rows;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
