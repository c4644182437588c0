// The installable `helm` plugin (#14 item 2), run as an executable in a plugin directory and driven through
// `ocm`: the `helm` input (chart directory packaged deterministically, or a chart tgz as is) and the `helm`
// access against a real Helm chart repository (index.yaml and tgz files on a loopback HTTP server).
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { ocmCli } from "../../helpers/cli.js";
import { REPO_ROOT, bundleExecutable } from "../../helpers/executables.js";
import { useHttpServer } from "../../helpers/http-server.js";
import { useTempDir } from "../../helpers/temp-dir.js";

const KEYS = join(REPO_ROOT, "test/fixtures/signing");
const COMPONENT = "acme.org/charts";
const CHART_MEDIA_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
const PASSWORD = "chart-repo-secret";
const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

interface Resource {
  name: string;
  access: Record<string, unknown>;
  digest?: { hashAlgorithm: string; normalisationAlgorithm: string; value: string };
}

/** Writes a small chart directory `name` (version `version`) below `parent` and returns its path. */
async function writeChart(parent: string, name: string, version: string): Promise<string> {
  const dir = join(parent, name);
  await mkdir(join(dir, "templates"), { recursive: true });
  await mkdir(join(dir, "ci"), { recursive: true });
  await writeFile(join(dir, "Chart.yaml"), `apiVersion: v2\nname: ${name}\nversion: ${version}\n`);
  await writeFile(join(dir, "values.yaml"), "replicas: 1\n");
  await writeFile(join(dir, "templates", "deployment.yaml"), "kind: Deployment\n");
  await writeFile(join(dir, "templates", "NOTES.txt"), "Thanks!\n");
  await writeFile(join(dir, "ci", "lint.yaml"), "ignored: true\n");
  await writeFile(join(dir, "secret.bak"), "ignored\n");
  await writeFile(join(dir, ".helmignore"), "# comment\nci/\n*.bak\n");
  return dir;
}

/** A chart repository: `index.yaml` listing the charts in `charts`, each served at `charts/<file>`. */
function chartRepository(state: {
  charts: { name: string; version: string; file: string; bytes: Buffer; digest?: string }[];
  served: Map<string, Buffer>;
  seenAuth: string[];
}) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? "/";
    if (req.headers.authorization) state.seenAuth.push(`${path} ${req.headers.authorization}`);
    if (path.startsWith("/private/")) {
      const ok = req.headers.authorization === `Basic ${Buffer.from(`bot:${PASSWORD}`).toString("base64")}`;
      if (!ok) return res.writeHead(401).end("who are you?");
    }
    const local = path.replace(/^\/private/, "");
    if (local === "/repo/index.yaml") {
      const lines = ["apiVersion: v1", "entries:"];
      for (const name of new Set(state.charts.map((c) => c.name))) {
        lines.push(`  ${name}:`);
        for (const chart of state.charts.filter((c) => c.name === name)) {
          lines.push(
            `  - name: ${name}`,
            `    version: ${chart.version}`,
            `    digest: ${chart.digest ?? sha256(chart.bytes)}`,
            `    urls: [${chart.version === "0.2.0" ? `http://${req.headers.host}/repo/` : ""}charts/${chart.file}]`,
          );
        }
      }
      return res.writeHead(200, { "content-type": "text/yaml" }).end(`${lines.join("\n")}\n`);
    }
    const served = state.served.get(local);
    if (served) {
      return res.writeHead(200, { "content-length": served.length }).end(served);
    }
    res.writeHead(404).end("not here");
  };
}

async function setup() {
  const cli = await ocmCli();
  const plugins = join(cli.home, "plugins");
  await mkdir(plugins, { recursive: true });
  const plugin = join(plugins, "helm");
  await copyFile(await bundleExecutable("plugins/helm/main.ts", "helm"), plugin);
  await chmod(plugin, 0o755);
  const ocm = (...args: string[]) => cli("--plugin-dir", plugins, ...args);
  const dir = await useTempDir();
  // Two versions of a chart packaged with tar (not by the plugin), as a chart repository would hold them.
  const state = {
    charts: [] as { name: string; version: string; file: string; bytes: Buffer; digest?: string }[],
    served: new Map<string, Buffer>(),
    seenAuth: [] as string[],
  };
  for (const version of ["0.1.0", "0.2.0"]) {
    const src = join(dir, `src-${version}`);
    await writeChart(src, "podinfo", version);
    const file = `podinfo-${version}.tgz`;
    await execa("tar", ["-czf", join(dir, file), "-C", src, "podinfo"]);
    const bytes = await readFile(join(dir, file));
    state.charts.push({ name: "podinfo", version, file, bytes });
    state.served.set(`/repo/charts/${file}`, bytes);
  }
  const server = await useHttpServer(chartRepository(state));
  await writeFile(
    join(cli.home, ".ocmconfig"),
    JSON.stringify({
      type: "credentials.config.ocm.software",
      consumers: [
        {
          identity: {
            type: "HelmChartRepository",
            hostname: "127.0.0.1",
            port: String(server.port),
            pathprefix: "private/repo",
          },
          credentials: [{ type: "Credentials/v1", properties: { username: "bot", password: PASSWORD } }],
        },
      ],
    }),
  );
  const addCv = async (ctf: string, resources: string[]) => {
    const file = join(dir, `constructor-${Math.random()}.yaml`);
    const lines = ["components:", `  - name: ${COMPONENT}`, "    version: 1.0.0", "    provider:"];
    await writeFile(file, [...lines, "      name: acme.org", "    resources:", ...resources, ""].join("\n"));
    return ocm("add", "cv", "--create", "--repository", ctf, "--constructor", file);
  };
  const resources = async (ref: string) => {
    const got = await ocm("get", "cv", ref, "-o", "json");
    expect(got.stderr).toBe("");
    return (JSON.parse(got.stdout) as { component: { resources: Resource[] } }).component.resources;
  };
  const download = async (ref: string, name: string, run = ocm) => {
    const out = join(dir, `${name}-${Math.random()}.tgz`);
    const result = await run("download", "resource", ref, name, "-O", out);
    return { ...result, bytes: existsSync(out) ? await readFile(out) : undefined };
  };
  return { cli, ocm, plugins, dir, server, state, addCv, resources, download };
}

const resource = (name: string, kind: "input" | "access", fields: string[]) =>
  [
    `      - name: ${name}`,
    "        type: helmChart",
    `        ${kind}:`,
    ...fields.map((l) => `          ${l}`),
  ].join("\n");

const access = (url: string, chart: string) =>
  resource("chart", "access", ["type: helm", `helmRepository: ${url}`, `helmChart: ${chart}`]);

describe("the helm plugin", () => {
  it("packages a chart directory like helm package, Chart.yaml first and .helmignore respected, to the same digest every time (#14)", async () => {
    const { dir, addCv, resources, download } = await setup();
    const chart = await writeChart(join(dir, "charts"), "mychart", "1.2.3");
    const digests: string[] = [];
    for (const ctf of [join(dir, "ctf-a"), join(dir, "ctf-b")]) {
      const added = await addCv(ctf, [resource("chart", "input", ["type: helm", `path: ${chart}`])]);
      expect(added.stderr).toBe("");
      expect(added.exitCode).toBe(0);
      const [got] = await resources(`${ctf}//${COMPONENT}:1.0.0`);
      expect(got?.access).toMatchObject({ type: "localBlob", mediaType: CHART_MEDIA_TYPE });
      digests.push(got?.digest?.value ?? "");
      const bytes = (await download(`${ctf}//${COMPONENT}:1.0.0`, "chart")).bytes;
      expect(sha256(bytes ?? "")).toBe(got?.digest?.value);
      await writeFile(join(dir, "downloaded.tgz"), bytes ?? "");
      // Files' mtimes change between the two runs; the digest must not.
      await writeFile(join(chart, "values.yaml"), "replicas: 1\n");
    }
    expect(digests[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(digests[1]).toBe(digests[0]);
    const listing = await execa("tar", ["-tvzf", join(dir, "downloaded.tgz")]);
    expect(listing.stdout.split("\n").map((l) => l.split(/\s+/).at(-1))).toEqual([
      "mychart/Chart.yaml",
      "mychart/.helmignore",
      "mychart/templates/NOTES.txt",
      "mychart/templates/deployment.yaml",
      "mychart/values.yaml",
    ]);
    expect(listing.stdout).toContain("2022-01-01");
  });

  it("takes an existing chart tgz as is, and refuses a Chart.yaml without name or version, a tgz that is no chart and a .helmignore negation (#14)", async () => {
    const { dir, state, addCv, resources } = await setup();
    const tgz = join(dir, "podinfo-0.1.0.tgz");
    const ctf = join(dir, "ctf");
    const added = await addCv(ctf, [
      resource("chart", "input", ["type: helm", `path: ${tgz}`, "version: 0.1.0"]),
    ]);
    expect(added.stderr).toBe("");
    const [got] = await resources(`${ctf}//${COMPONENT}:1.0.0`);
    expect(got?.digest?.value).toBe(sha256(state.charts[0]?.bytes ?? ""));

    const broken = join(dir, "broken");
    await mkdir(broken);
    await writeFile(join(broken, "Chart.yaml"), "apiVersion: v2\nname: broken\n");
    const noVersion = await addCv(join(dir, "ctf-2"), [
      resource("chart", "input", ["type: helm", `path: ${broken}`]),
    ]);
    expect(noVersion.exitCode).not.toBe(0);
    expect(noVersion.stderr).toContain("Code: OCM_INPUT_INVALID");
    expect(noVersion.stderr).toContain(`${join(broken, "Chart.yaml")} has no version`);

    await writeFile(
      join(dir, "plain.tgz"),
      (await execa("tar", ["-czf", "-", "-C", broken, "Chart.yaml"], { encoding: "buffer" })).stdout,
    );
    const notChart = await addCv(join(dir, "ctf-3"), [
      resource("chart", "input", ["type: helm", `path: ${join(dir, "plain.tgz")}`]),
    ]);
    expect(notChart.stderr).toContain("holds no <chart-name>/Chart.yaml entry");
    const negated = await writeChart(join(dir, "negated"), "negated", "1.0.0");
    await writeFile(join(negated, ".helmignore"), "*.bak\n!keep.bak\n");
    const negation = await addCv(join(dir, "ctf-4"), [
      resource("chart", "input", ["type: helm", `path: ${negated}`]),
    ]);
    expect(negation.stderr).toContain(
      'line 2: "!keep.bak" uses negation (!), which this plugin does not support',
    );
    expect(existsSync(join(dir, "ctf-3", "artifact-index.json"))).toBe(false);
  });

  it("downloads a helm access chart from a chart repository, relative and absolute URLs, basic auth by consumer identity (#14)", async () => {
    const { dir, server, state, addCv, resources, download } = await setup();
    const ctf = join(dir, "ctf");
    const added = await addCv(ctf, [
      access(`${server.url}/repo`, "podinfo:0.1.0").replace("name: chart", "name: relative"),
      access(`${server.url}/repo/`, "podinfo:0.2.0").replace("name: chart", "name: absolute"),
      access(`${server.url}/private/repo`, "podinfo:0.1.0").replace("name: chart", "name: private"),
    ]);
    expect(added.stderr).toBe("");
    const ref = `${ctf}//${COMPONENT}:1.0.0`;
    expect((await resources(ref))[0]?.access).toEqual({
      type: "helm",
      helmRepository: `${server.url}/repo`,
      helmChart: "podinfo:0.1.0",
    });
    for (const [name, index] of [
      ["relative", 0],
      ["absolute", 1],
      ["private", 0],
    ] as const) {
      const got = await download(ref, name);
      expect(got.stderr).toBe("");
      expect(got.exitCode).toBe(0);
      expect(got.bytes?.equals(state.charts[index]?.bytes ?? Buffer.alloc(0))).toBe(true);
    }
    expect(new Set(state.seenAuth.map((l) => l.split(" ")[0]))).toEqual(
      new Set(["/private/repo/index.yaml", "/private/repo/charts/podinfo-0.1.0.tgz"]),
    );
  });

  it("fails a helm access naming the versions that exist, a missing repository, and a chart whose bytes do not match the index digest (#14)", async () => {
    const { dir, server, state, addCv, download } = await setup();
    const ctf = join(dir, "ctf");
    await addCv(ctf, [
      access(`${server.url}/repo`, "podinfo:9.9.9").replace("name: chart", "name: noversion"),
      access(`${server.url}/repo`, "nginx:1.0.0").replace("name: chart", "name: nochart"),
      access(`${server.url}/nothing`, "podinfo:0.1.0").replace("name: chart", "name: norepo"),
      access(`${server.url}/repo`, "podinfo:0.2.0").replace("name: chart", "name: tampered"),
    ]);
    const ref = `${ctf}//${COMPONENT}:1.0.0`;
    const noVersion = await download(ref, "noversion");
    expect(noVersion.exitCode).toBe(1);
    expect(noVersion.stderr).toContain("Code: OCM_ACCESS_NOT_FOUND");
    expect(noVersion.stderr).toContain("chart podinfo has no version 9.9.9");
    expect(noVersion.stderr).toContain("(versions: 0.1.0, 0.2.0)");
    expect((await download(ref, "nochart")).stderr).toContain("chart nginx is not in");
    const noRepo = await download(ref, "norepo");
    expect(noRepo.stderr).toContain(`GET ${server.url}/nothing/index.yaml: HTTP 404`);
    expect(noRepo.bytes).toBeUndefined();
    state.served.set("/repo/charts/podinfo-0.2.0.tgz", Buffer.from("not the chart the index describes"));
    const tampered = await download(ref, "tampered");
    expect(tampered.exitCode).toBe(1);
    expect(tampered.stderr).toContain("Code: OCM_ACCESS_DIGEST_MISMATCH");
    expect(tampered.stderr).toContain(
      `but ${server.url}/repo/index.yaml says sha256:${sha256(state.charts[1]?.bytes ?? "")}`,
    );
    expect(tampered.bytes).toBeUndefined();
  });

  it("signs and verifies helm resources by their bytes; a chart changed on the server fails verify naming the resource (#14)", async () => {
    const { ocm, dir, server, state, addCv } = await setup();
    const ctf = join(dir, "ctf");
    const chart = await writeChart(join(dir, "charts"), "mychart", "1.2.3");
    await addCv(ctf, [
      access(`${server.url}/repo`, "podinfo:0.1.0"),
      resource("packaged", "input", ["type: helm", `path: ${chart}`]),
    ]);
    const ref = `${ctf}//${COMPONENT}:1.0.0`;
    const signed = await ocm(
      "sign",
      "cv",
      ref,
      "--signature",
      "acme",
      "--private-key",
      join(KEYS, "signer.rsa.key"),
    );
    expect(signed.stderr).toBe("");
    expect(signed.exitCode).toBe(0);
    const verify = () =>
      ocm("verify", "cv", ref, "--signature", "acme", "--public-key", join(KEYS, "signer.rsa.pub"));
    expect((await verify()).exitCode).toBe(0);
    // The repository's owner re-publishes 0.1.0 with other bytes and a matching index digest.
    const other = Buffer.concat([state.charts[1]?.bytes ?? Buffer.alloc(0)]);
    state.charts[0] = {
      ...(state.charts[0] ?? { name: "podinfo", version: "0.1.0", file: "podinfo-0.1.0.tgz" }),
      bytes: other,
    };
    state.served.set("/repo/charts/podinfo-0.1.0.tgz", other);
    const tampered = await verify();
    expect(tampered.exitCode).toBe(1);
    expect(tampered.stderr).toContain("OCM_SIGNING_BLOB_DIGEST_MISMATCH");
    expect(tampered.stderr).toContain("resource chart: its content has digest");
  });

  it("copies a helm access chart by value into a CTF as a local blob with the same digest (#14)", async () => {
    const { ocm, dir, server, state, addCv, resources, download } = await setup();
    const ctf = join(dir, "ctf");
    await addCv(ctf, [access(`${server.url}/repo`, "podinfo:0.1.0")]);
    const ref = `${ctf}//${COMPONENT}:1.0.0`;
    await ocm("sign", "cv", ref, "--signature", "acme", "--private-key", join(KEYS, "signer.rsa.key"));
    const copy = join(dir, "copy");
    const moved = await ocm("transfer", "cv", ref, copy, "--copy-resources");
    expect(moved.stderr).toBe("");
    expect(moved.exitCode).toBe(0);
    const copied = `${copy}//${COMPONENT}:1.0.0`;
    const [got] = await resources(copied);
    expect(got?.access).toMatchObject({
      type: "localBlob",
      mediaType: CHART_MEDIA_TYPE,
      globalAccess: { type: "helm", helmRepository: `${server.url}/repo`, helmChart: "podinfo:0.1.0" },
    });
    expect(got?.digest?.value).toBe(sha256(state.charts[0]?.bytes ?? ""));
    state.served.clear();
    const offline = await download(copied, "chart");
    expect(offline.bytes?.equals(state.charts[0]?.bytes ?? Buffer.alloc(0))).toBe(true);
    const verified = await ocm(
      "verify",
      "cv",
      copied,
      "--signature",
      "acme",
      "--public-key",
      join(KEYS, "signer.rsa.pub"),
    );
    expect(verified.exitCode).toBe(0);
  });

  it("names the helm plugin and the command to install it when a helm access or input is used without it (#14)", async () => {
    const { cli, ocm, dir, server, addCv, download } = await setup();
    const ctf = join(dir, "ctf");
    await addCv(ctf, [access(`${server.url}/repo`, "podinfo:0.1.0")]);
    const got = await download(`${ctf}//${COMPONENT}:1.0.0`, "chart", cli);
    expect(got.exitCode).toBe(1);
    expect(got.stderr).toContain('no plugin offers resourceRepository for type "helm"');
    expect(got.stderr).toContain("ocm plugin install <repository>//ocm.software/plugins/helm");
    const chart = await writeChart(join(dir, "charts"), "mychart", "1.0.0");
    const file = join(dir, "input.yaml");
    await writeFile(
      file,
      [
        "components:",
        `  - {name: ${COMPONENT}, version: 2.0.0, provider: {name: acme.org}, resources: [{name: chart, type: helmChart, input: {type: helm, path: ${chart}}}]}`,
        "",
      ].join("\n"),
    );
    const added = await cli("add", "cv", "--repository", ctf, "--constructor", file);
    expect(added.exitCode).toBe(1);
    expect(added.stderr).toContain("ocm plugin install <repository>//ocm.software/plugins/helm");
    expect((await ocm("get", "cv", `${ctf}//${COMPONENT}`, "-o", "json")).stdout).not.toContain("2.0.0");
  });

  it("passes ocm plugin verify (#14)", async () => {
    const { cli, plugins } = await setup();
    const verified = await cli("plugin", "verify", join(plugins, "helm"), "-o", "json");
    const report = JSON.parse(verified.stdout) as {
      checks: { name: string; status: string; detail?: string }[];
    };
    const failed = report.checks.filter((c) => c.status === "fail");
    expect(failed).toEqual([]);
    expect(report.checks.map((c) => c.name)).toContain("smoke consumerIdentity Helm/v1");
  });
});
