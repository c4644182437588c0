// Benchmarks of the installable access plugins (issue #14): `ocm download resource` of a ~50 MB `wget`
// resource from a local HTTP server, and of a ~50 MB `npm` tarball from a local Verdaccio, each beside
// `curl` of the same URL, interleaved in the same run. `ocm` is a child process like curl, so its figure
// includes the CLI's and the plugin's start; the bytes travel server → plugin → host → file.
import { randomFillSync } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { execa } from "execa";
import { REPO_ROOT } from "../../test/helpers/executables.js";
import { startVerdaccio } from "../../test/helpers/verdaccio.js";
import { bundleCli, bundleNodeExecutable } from "../bundle-executable.js";
import { type Row, median, printRows } from "./report.js";

const SIZE = 50 * 1000 * 1000;
const MB = 1000 * 1000;
const ROUNDS = 5;
const COMPONENT = "acme.org/access-bench";

/** Writes `size` random bytes: a tarball of them does not shrink under gzip. */
async function writeRandomFile(path: string, size: number): Promise<void> {
  const out = createWriteStream(path);
  const chunk = Buffer.allocUnsafe(1024 * 1024);
  for (let written = 0; written < size; written += chunk.length) {
    randomFillSync(chunk);
    if (!out.write(chunk.subarray(0, Math.min(chunk.length, size - written)))) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

async function seconds(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

/** Median MB/s of `ocm download resource` and of `curl`, alternating which goes first. */
/** Median MB/s of `ocm download resource` of `blob` and of `curl` of `url`, alternating which goes first. */
async function race(work: string, ocm: string, env: Record<string, string>, ref: string, url: string) {
  const viaOcm: number[] = [];
  const viaCurl: number[] = [];
  const tiny: number[] = [];
  let bytes = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const out = join(work, `out-${i}`);
    const download = (name: string) =>
      seconds(() => execa(ocm, ["download", "resource", ref, name, "-O", `${out}.${name}`], { env }));
    const ocmRun = async () => {
      viaOcm.push(await download("blob"));
      bytes = (await stat(`${out}.blob`)).size;
      tiny.push(await download("tiny"));
      await rm(`${out}.blob`);
      await rm(`${out}.tiny`);
    };
    const curlRun = async () => {
      viaCurl.push(await seconds(() => execa("curl", ["-sSf", "-o", `${out}.curl`, url])));
      await rm(`${out}.curl`);
    };
    if (i % 2 === 0) {
      await ocmRun();
      await curlRun();
    } else {
      await curlRun();
      await ocmRun();
    }
  }
  return {
    ocm: bytes / MB / median(viaOcm),
    curl: bytes / MB / median(viaCurl),
    bytes,
    viaOcm,
    viaCurl,
    tiny,
  };
}

/** A component version with the resources `blob` (the ~50 MB one) and `tiny` (a few bytes: the start cost). */
async function addComponent(
  work: string,
  ocm: string,
  env: Record<string, string>,
  name: string,
  access: Record<"blob" | "tiny", string>,
) {
  const ctf = join(work, `ctf-${name}`);
  const file = join(work, `constructor-${name}.yaml`);
  const resources = Object.entries(access).map(
    ([n, spec]) => `      - {name: ${n}, type: blob, access: ${spec}}`,
  );
  await writeFile(
    file,
    [
      `components:`,
      `  - name: ${COMPONENT}`,
      "    version: 1.0.0",
      "    provider: {name: acme.org}",
      "    resources:",
      ...resources,
      "",
    ].join("\n"),
  );
  await execa(ocm, ["add", "cv", "--create", "--repository", ctf, "--constructor", file], { env });
  return `${ctf}//${COMPONENT}:1.0.0`;
}

function row(what: string, result: Awaited<ReturnType<typeof race>>, baselineName: string): Row {
  return {
    name: `${what} (${(result.bytes / MB).toFixed(0)} MB, median of ${ROUNDS})`,
    value: result.ocm,
    unit: "MB/s",
    baseline: result.curl,
    baselineName,
    higherIsBetter: true,
    note: `median ${median(result.viaOcm).toFixed(2)} s vs ${median(result.viaCurl).toFixed(2)} s; ocm's includes its and the plugin's start: a resource of a few bytes takes ${median(result.tiny).toFixed(2)} s`,
  };
}

/** Runs the access plugin benchmarks and prints the figures (or why one was skipped). */
export async function benchAccess(): Promise<Row[]> {
  if ((await execa("curl", ["--version"], { reject: false })).exitCode !== 0) {
    console.log("\n== access plugins ==\n  skipped: curl is missing");
    return [];
  }
  const work = await mkdtemp(join(tmpdir(), "ocm-ts-bench-access-"));
  const server = createServer((req, res) => {
    if (req.url === "/tiny.bin") return res.writeHead(200, { "content-length": 5 }).end("tiny\n");
    if (req.url !== "/big.bin") return res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": SIZE });
    createReadStream(join(work, "big.bin")).pipe(res);
  });
  await mkdir(join(work, "verdaccio"));
  const verdaccio = await startVerdaccio(join(work, "verdaccio"));
  try {
    const ocm = await bundleCli(REPO_ROOT, join(work, "ocm.mjs"));
    const plugins = join(work, "plugins");
    await mkdir(plugins);
    for (const name of ["wget", "npm"]) {
      const path = join(plugins, name);
      await bundleNodeExecutable(join(REPO_ROOT, `plugins/${name}/main.ts`), path);
      await chmod(path, 0o755);
    }
    const env = { HOME: work, XDG_CACHE_HOME: join(work, "cache"), OCM_PLUGIN_DIR: plugins };
    await writeRandomFile(join(work, "big.bin"), SIZE);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/big.bin`;
    const wgetRef = await addComponent(work, ocm, env, "wget", {
      blob: `{type: wget, url: "${url}"}`,
      tiny: `{type: wget, url: "${url.replace("big", "tiny")}"}`,
    });

    for (const [name, size] of [
      ["big-package", SIZE],
      ["tiny-package", 5],
    ] as const) {
      const pkg = join(work, name);
      await mkdir(pkg);
      await writeFile(join(pkg, "package.json"), JSON.stringify({ name, version: "1.0.0" }));
      await writeRandomFile(join(pkg, "payload.bin"), size);
      await verdaccio.publish(pkg);
    }
    const packument = (await (await fetch(`${verdaccio.url}/big-package`)).json()) as {
      versions: Record<string, { dist: { tarball: string } }>;
    };
    const tarball = packument.versions["1.0.0"]?.dist.tarball ?? "";
    const npm = (name: string) =>
      `{type: npm, registry: "${verdaccio.url}", package: ${name}, version: 1.0.0}`;
    const npmRef = await addComponent(work, ocm, env, "npm", {
      blob: npm("big-package"),
      tiny: npm("tiny-package"),
    });
    // Discovery once, outside the timings: its cache keeps the plugins from being asked again.
    await execa(ocm, ["plugin", "list"], { env });

    const rows = [
      row(
        "ocm download resource of a wget resource from a local HTTP server",
        await race(work, ocm, env, wgetRef, url),
        "curl of the same URL",
      ),
      row(
        "ocm download resource of an npm resource from a local Verdaccio",
        await race(work, ocm, env, npmRef, tarball),
        "curl of the tarball URL",
      ),
    ];
    printRows("access plugins", rows);
    return rows;
  } finally {
    server.close();
    await verdaccio.stop();
    await rm(work, { recursive: true, force: true });
  }
}
