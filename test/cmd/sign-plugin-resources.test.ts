// Signing covers the technology plugins (#14 item 6): one component version mixing a local blob, an image in
// a real registry, a wget, a helm and an npm resource is signed and verified with digests computed through the plugins, and changing
// the remote bytes of any one of them fails `verify cv` naming that resource.
import { createHash, randomBytes } from "node:crypto";
import { chmod, copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ocmCli } from "../helpers/cli.js";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { useHttpServer } from "../helpers/http-server.js";
import { writeOciLayout } from "../helpers/oci-layout.js";
import { startRegistry } from "../helpers/registry.js";
import { useTempDir } from "../helpers/temp-dir.js";
import { startVerdaccio } from "../helpers/verdaccio.js";

const KEYS = join(REPO_ROOT, "test/fixtures/signing");
const COMPONENT = "acme.org/mixed";
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** A web server for the wget file and a chart repository whose index digest follows the served chart. */
function site(state: { data: Buffer; chart: Buffer }) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const send = (body: Buffer | string) =>
      res.writeHead(200, { "content-length": Buffer.byteLength(body) }).end(body);
    if (req.url === "/files/data.bin") return send(state.data);
    if (req.url === "/charts/index.yaml") {
      return send(
        [
          "apiVersion: v1",
          "entries:",
          "  mychart:",
          "  - name: mychart",
          "    version: 0.1.0",
          `    digest: ${sha256(state.chart)}`,
          "    urls: [mychart-0.1.0.tgz]",
          "",
        ].join("\n"),
      );
    }
    if (req.url === "/charts/mychart-0.1.0.tgz") return send(state.chart);
    res.writeHead(404).end("not here");
  };
}

/** A chart tgz of `mychart` 0.1.0 whose values.yaml holds `values`. */
async function packChart(dir: string, values: string): Promise<Buffer> {
  const src = join(dir, `src-${randomBytes(4).toString("hex")}`);
  await mkdir(join(src, "mychart"), { recursive: true });
  await writeFile(join(src, "mychart", "Chart.yaml"), "apiVersion: v2\nname: mychart\nversion: 0.1.0\n");
  await writeFile(join(src, "mychart", "values.yaml"), values);
  await execa("tar", ["-czf", join(src, "chart.tgz"), "-C", src, "mychart"]);
  return readFile(join(src, "chart.tgz"));
}

describe("signing components with plugin resources", () => {
  it("signs and verifies a local blob, an image, a wget, a helm and an npm resource by their bytes; changed remote bytes of any one fail verify naming it (#14)", async () => {
    const cli = await ocmCli();
    const dir = await useTempDir();
    const plugins = join(cli.home, "plugins");
    await mkdir(plugins, { recursive: true });
    for (const name of ["wget", "helm", "npm"]) {
      await copyFile(await bundleExecutable(`plugins/${name}/main.ts`, name), join(plugins, name));
      await chmod(join(plugins, name), 0o755);
    }
    const ocm = (...args: string[]) => cli("--plugin-dir", plugins, ...args);

    const state = { data: randomBytes(100_000), chart: await packChart(dir, "replicas: 1\n") };
    const server = await useHttpServer(site(state));
    await mkdir(join(dir, "verdaccio"));
    const registry = await startVerdaccio(join(dir, "verdaccio"));
    const images = await startRegistry();
    try {
      // An image pushed with skopeo; a second layout is what the tag is moved to when tampering.
      const pushImage = (layout: string) =>
        execa("skopeo", [
          "copy",
          "--dest-tls-verify=false",
          `oci:${join(dir, layout)}:1.0`,
          `docker://${images.host}/images/app:1.0`,
        ]);
      const image = await writeOciLayout(join(dir, "image"), "1.0", 2, 16 * 1024);
      await writeOciLayout(join(dir, "other-image"), "1.0", 3, 8 * 1024);
      await pushImage("image");
      const pkg = join(dir, "pkg");
      await mkdir(pkg);
      await writeFile(join(pkg, "package.json"), JSON.stringify({ name: "mixed-lib", version: "1.0.0" }));
      await writeFile(join(pkg, "index.js"), "module.exports = 1;\n");
      await registry.publish(pkg);

      const constructor = join(dir, "constructor.yaml");
      await writeFile(
        constructor,
        stringify({
          components: [
            {
              name: COMPONENT,
              version: "1.0.0",
              provider: { name: "acme.org" },
              resources: [
                { name: "notes", type: "plainText", input: { type: "utf8", text: "local notes" } },
                {
                  name: "image",
                  type: "ociImage",
                  version: "1.0",
                  access: { type: "ociArtifact", imageReference: `${images.host}/images/app:1.0` },
                },
                { name: "data", type: "blob", access: { type: "wget", url: `${server.url}/files/data.bin` } },
                {
                  name: "chart",
                  type: "helmChart",
                  access: {
                    type: "helm",
                    helmRepository: `${server.url}/charts`,
                    helmChart: "mychart:0.1.0",
                  },
                },
                {
                  name: "lib",
                  type: "npmPackage",
                  access: { type: "npm", registry: registry.url, package: "mixed-lib", version: "1.0.0" },
                },
              ],
            },
          ],
        }),
      );
      const ctf = join(dir, "ctf");
      const added = await ocm("add", "cv", "--create", "--repository", ctf, "--constructor", constructor);
      expect(added.stderr).toBe("");
      expect(added.exitCode).toBe(0);
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

      // Every resource got its digest, the remote ones computed from the bytes the plugins fetched.
      const got = JSON.parse((await ocm("get", "cv", ref, "-o", "json")).stdout) as {
        component: { resources: { name: string; digest?: { value: string } }[] };
      };
      const digests = Object.fromEntries(got.component.resources.map((r) => [r.name, r.digest?.value]));
      expect(digests["notes"]).toBe(sha256(Buffer.from("local notes")));
      expect(digests["image"]).toBe(image.manifestDigest.slice("sha256:".length));
      expect(digests["data"]).toBe(sha256(state.data));
      expect(digests["chart"]).toBe(sha256(state.chart));
      expect(digests["lib"]).toMatch(/^[0-9a-f]{64}$/);

      const verify = () =>
        ocm("verify", "cv", ref, "--signature", "acme", "--public-key", join(KEYS, "signer.rsa.pub"));
      const good = await verify();
      expect(good.stderr).toBe("");
      expect(good.exitCode).toBe(0);

      // Each remote resource changed on its server in turn, then put back.
      const tarball = join(registry.storage, "mixed-lib", "mixed-lib-1.0.0.tgz");
      const original = { data: state.data, chart: state.chart, lib: await readFile(tarball) };
      const tamperings: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
        ["image", () => pushImage("other-image"), () => pushImage("image")],
        [
          "data",
          async () => void (state.data = Buffer.concat([original.data.subarray(0, 10), Buffer.from("x")])),
          async () => void (state.data = original.data),
        ],
        [
          "chart",
          async () => void (state.chart = await packChart(dir, "replicas: 2\n")),
          async () => void (state.chart = original.chart),
        ],
        [
          "lib",
          () => writeFile(tarball, "not the published tarball"),
          () => writeFile(tarball, original.lib),
        ],
      ];
      for (const [name, tamper, restore] of tamperings) {
        await tamper();
        const failed = await verify();
        expect(failed.exitCode, `verify after ${name} changed`).toBe(1);
        expect(failed.stderr).toContain("Code: OCM_SIGNING_BLOB_DIGEST_MISMATCH");
        expect(failed.stderr).toMatch(new RegExp(`resource ${name}\\b`));
        for (const other of ["notes", "image", "data", "chart", "lib"].filter((n) => n !== name))
          expect(failed.stderr).not.toMatch(new RegExp(`resource ${other}\\b`));
        await restore();
        expect((await verify()).exitCode, `verify after ${name} restored`).toBe(0);
      }
    } finally {
      await images.stop();
      await registry.stop();
    }
  }, 180_000);
});
