// Helm charts copied into an OCI registry (#14 item 2): a `helmChart` resource stored as a local blob in a
// real registry also becomes a Helm OCI artifact the way `helm push` lays it out, at
// `<target>/<chart name>:<version>`, readable by skopeo; the local blob and the signature stay.
import { createHash } from "node:crypto";
import { chmod, copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ocmCli } from "../../helpers/cli.js";
import { REPO_ROOT, bundleExecutable } from "../../helpers/executables.js";
import { useHttpServer } from "../../helpers/http-server.js";
import { startRegistry, type RunningRegistry } from "../../helpers/registry.js";
import { useTempDir } from "../../helpers/temp-dir.js";

const KEYS = join(REPO_ROOT, "test/fixtures/signing");
const COMPONENT = "acme.org/charts";
const CHART = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

let registry: RunningRegistry;
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.stop();
});

const skopeo = (...args: string[]) =>
  execa("skopeo", ["inspect", "--tls-verify=false", ...args], { reject: false });

async function writeChart(dir: string, name: string, version: string): Promise<void> {
  await mkdir(join(dir, "templates"), { recursive: true });
  await writeFile(
    join(dir, "Chart.yaml"),
    `apiVersion: v2\nname: ${name}\nversion: ${version}\ndescription: A test chart\n`,
  );
  await writeFile(join(dir, "values.yaml"), "replicas: 1\n");
  await writeFile(join(dir, "templates", "cm.yaml"), "kind: ConfigMap\n");
}

describe("helm charts copied into an OCI registry", () => {
  it("pushes a chart from a helm input and one from a helm access as Helm OCI artifacts beside their local blobs, readable by skopeo; signatures stay valid (#14)", async () => {
    const cli = await ocmCli();
    const plugins = join(cli.home, "plugins");
    await mkdir(plugins, { recursive: true });
    await copyFile(await bundleExecutable("plugins/helm/main.ts", "helm"), join(plugins, "helm"));
    await chmod(join(plugins, "helm"), 0o755);
    const ocm = (...args: string[]) => cli("--plugin-dir", plugins, ...args);
    const dir = await useTempDir();
    await writeChart(join(dir, "mychart"), "mychart", "1.2.3+build.7");
    await writeChart(join(dir, "src", "podinfo"), "podinfo", "0.1.0");
    await execa("tar", ["-czf", join(dir, "podinfo-0.1.0.tgz"), "-C", join(dir, "src"), "podinfo"]);
    const served = await readFile(join(dir, "podinfo-0.1.0.tgz"));
    const server = await useHttpServer((req: IncomingMessage, res: ServerResponse) => {
      if (req.url === "/index.yaml") {
        const index = `apiVersion: v1\nentries:\n  podinfo:\n  - version: 0.1.0\n    digest: ${sha256(served)}\n    urls: [podinfo-0.1.0.tgz]\n`;
        return res.writeHead(200).end(index);
      }
      if (req.url === "/podinfo-0.1.0.tgz") return res.writeHead(200).end(served);
      res.writeHead(404).end();
    });
    await writeFile(
      join(dir, "constructor.yaml"),
      [
        "components:",
        `  - name: ${COMPONENT}`,
        "    version: 1.0.0",
        "    provider:",
        "      name: acme.org",
        "    resources:",
        "      - name: packaged",
        "        type: helmChart",
        "        input: {type: helm, path: mychart}",
        "      - name: upstream",
        "        type: helmChart",
        `        access: {type: helm, helmRepository: '${server.url}', helmChart: 'podinfo:0.1.0'}`,
        "",
      ].join("\n"),
    );
    const ctf = join(dir, "ctf");
    const added = await ocm(
      "add",
      "cv",
      "--create",
      "--repository",
      ctf,
      "--constructor",
      join(dir, "constructor.yaml"),
    );
    expect(added.stderr).toBe("");
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

    const target = `${registry.host}/acme/sub`;
    const moved = await ocm("transfer", "cv", ref, target, "--copy-resources");
    expect(moved.stderr).toBe("");
    expect(moved.exitCode).toBe(0);

    const copied = `${target}//${COMPONENT}:1.0.0`;
    const got = await ocm("get", "cv", copied, "-o", "json");
    const resources = (
      JSON.parse(got.stdout) as {
        component: {
          resources: { name: string; access: Record<string, unknown>; digest: { value: string } }[];
        };
      }
    ).component.resources;
    const packaged = resources.find((r) => r.name === "packaged");
    const upstream = resources.find((r) => r.name === "upstream");
    expect(packaged?.access).toMatchObject({
      type: "localBlob",
      mediaType: CHART,
      globalAccess: {
        type: "ociArtifact",
        imageReference: expect.stringMatching(
          new RegExp(`^${registry.host}/acme/sub/mychart:1\\.2\\.3_build\\.7@sha256:[0-9a-f]{64}$`),
        ),
      },
    });
    expect(upstream?.access).toMatchObject({
      type: "localBlob",
      mediaType: CHART,
      globalAccess: {
        type: "ociArtifact",
        imageReference: expect.stringMatching(
          new RegExp(`^${registry.host}/acme/sub/podinfo:0\\.1\\.0@sha256:`),
        ),
      },
    });
    expect(upstream?.digest.value).toBe(sha256(served));

    // What helm push would have made: an OCI manifest, Chart.yaml as the JSON config, the chart as one layer.
    const raw = await skopeo("--raw", `docker://${registry.host}/acme/sub/podinfo:0.1.0`);
    expect(raw.stderr).toBe("");
    const manifest = JSON.parse(raw.stdout) as {
      mediaType: string;
      config: { mediaType: string };
      layers: { mediaType: string; digest: string; size: number }[];
    };
    expect(manifest.mediaType).toBe("application/vnd.oci.image.manifest.v1+json");
    expect(manifest.config.mediaType).toBe("application/vnd.cncf.helm.config.v1+json");
    expect(manifest.layers).toEqual([
      { mediaType: CHART, digest: `sha256:${sha256(served)}`, size: served.length },
    ]);
    const config = await skopeo(
      "--raw",
      "--config",
      `docker://${registry.host}/acme/sub/mychart:1.2.3_build.7`,
    );
    expect(JSON.parse(config.stdout)).toEqual({
      apiVersion: "v2",
      name: "mychart",
      version: "1.2.3+build.7",
      description: "A test chart",
    });
    // Plain `skopeo inspect` refuses any non-image artifact, charts `helm push` writes included.
    const tags = await execa("skopeo", [
      "list-tags",
      "--tls-verify=false",
      `docker://${registry.host}/acme/sub/mychart`,
    ]);
    expect(JSON.parse(tags.stdout)).toMatchObject({ Tags: ["1.2.3_build.7"] });

    const verified = await ocm(
      "verify",
      "cv",
      copied,
      "--signature",
      "acme",
      "--public-key",
      join(KEYS, "signer.rsa.pub"),
    );
    expect(verified.stderr).toBe("");
    expect(verified.exitCode).toBe(0);
    const out = join(dir, "down.tgz");
    expect((await ocm("download", "resource", copied, "upstream", "-O", out)).exitCode).toBe(0);
    expect((await readFile(out)).equals(served)).toBe(true);
  });
});
