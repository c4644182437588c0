// `ocm transfer` with an OCI registry on either side: a real `docker-registry`, images pushed by skopeo,
// and the bundled CLI. CTF → OCI → CTF must reproduce descriptors and blobs; --copy-resources must bring
// an image into a CTF as the Go tool does.
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { writeOciLayout } from "../helpers/oci-layout.js";
import { startRegistry, type RunningRegistry } from "../helpers/registry.js";
import { useTempDir } from "../helpers/temp-dir.js";

const HELLO = "acme.org/hello";
let registry: RunningRegistry;

beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.stop();
});

async function cli() {
  const home = await useTempDir();
  const ocm = await bundleExecutable("cmd/ocm.ts", "ocm");
  return (...args: string[]) =>
    execa(ocm, args, {
      reject: false,
      cwd: home,
      env: { HOME: home, XDG_CACHE_HOME: join(home, "cache"), OCM_PLUGIN_DIR: "" },
    });
}

describe("ocm transfer with an OCI registry", () => {
  it("reproduces the example's descriptor and every blob after CTF → OCI → CTF", async () => {
    const ocm = await cli();
    const dir = await useTempDir();
    const source = join(dir, "source");
    const back = join(dir, "back");
    const oci = `${registry.host}/round-trip`;
    const added = await ocm(
      "add",
      "cv",
      "--create",
      "--repository",
      source,
      "--constructor",
      join(REPO_ROOT, "examples/component-constructor.yaml"),
    );
    expect(added.exitCode).toBe(0);

    const up = await ocm("transfer", `${source}//${HELLO}`, oci);
    expect(up.stderr).toBe("");
    expect(up.stdout).toMatch(/^copied acme\.org\/hello:1\.0\.0 \(3 blobs copied, 0 skipped/);
    const again = await ocm("transfer", `${source}//${HELLO}`, oci, "-o", "json");
    expect(JSON.parse(again.stdout)).toMatchObject({
      versions: [{ action: "skipped" }],
      blobsCopied: 0,
      bytes: 0,
    });

    const down = await ocm("transfer", `${oci}//${HELLO}:1.0.0`, back);
    expect(down.stderr).toBe("");
    expect(down.exitCode).toBe(0);
    const json = async (ref: string) => (await ocm("get", "cv", ref, "-o", "json")).stdout;
    expect(await json(`${back}//${HELLO}:1.0.0`)).toBe(await json(`${source}//${HELLO}:1.0.0`));
    for (const resource of ["readme", "site", "greeting"]) {
      const out = (where: string) => join(dir, `${resource}.${where}`);
      await ocm("download", "resource", `${source}//${HELLO}:1.0.0`, resource, "-O", out("source"));
      const download = await ocm(
        "download",
        "resource",
        `${back}//${HELLO}:1.0.0`,
        resource,
        "-O",
        out("back"),
      );
      expect(download.stderr).toBe("");
      expect((await readFile(out("back"))).equals(await readFile(out("source")))).toBe(true);
    }
  });

  it("copies an image skopeo pushed into a CTF with --copy-resources, keeping its digest", async () => {
    const ocm = await cli();
    const dir = await useTempDir();
    const layout = await writeOciLayout(join(dir, "layout"), "1.0");
    await promisify(execFile)("skopeo", [
      "copy",
      "--dest-tls-verify=false",
      `oci:${join(dir, "layout")}:1.0`,
      `docker://${registry.host}/images/app:1.0`,
    ]);
    const hex = layout.manifestDigest.slice("sha256:".length);
    const access = { type: "ociArtifact", imageReference: `${registry.host}/images/app:1.0` };
    await writeFile(
      join(dir, "constructor.yaml"),
      "components:\n  - name: acme.org/img\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n" +
        `      - name: image\n        type: ociImage\n        version: "1.0"\n        access: ${JSON.stringify(access)}\n` +
        `        digest: {hashAlgorithm: SHA-256, normalisationAlgorithm: ociArtifactDigest/v1, value: ${hex}}\n`,
    );
    const source = join(dir, "source");
    const target = join(dir, "target");
    expect(
      (
        await ocm(
          "add",
          "cv",
          "--create",
          "--repository",
          source,
          "--constructor",
          join(dir, "constructor.yaml"),
        )
      ).exitCode,
    ).toBe(0);

    const transfer = await ocm(
      "transfer",
      `${source}//acme.org/img`,
      target,
      "--copy-resources",
      "-o",
      "json",
    );
    expect(transfer.stderr).toBe("");
    expect(JSON.parse(transfer.stdout)).toMatchObject({ blobsCopied: 1 });
    const descriptor = JSON.parse(
      (await ocm("get", "cv", `${target}//acme.org/img:1.0.0`, "-o", "json")).stdout,
    ) as {
      component: { resources: Record<string, unknown>[] };
    };
    expect(descriptor.component.resources[0]).toMatchObject({
      digest: { normalisationAlgorithm: "ociArtifactDigest/v1", value: hex },
      access: {
        type: "localBlob",
        mediaType: "application/vnd.oci.image.manifest.v1+tar+gzip",
        referenceName: "images/app:1.0",
        globalAccess: access,
      },
    });
    const hash = async (repo: string) =>
      (await ocm("hash", "cv", `${repo}//acme.org/img:1.0.0`, "-o", "json")).stdout;
    expect(await hash(target)).toBe(await hash(source));
    // The local blob is an artifact set holding skopeo's manifest.
    const out = join(dir, "image.tgz");
    expect(
      (await ocm("download", "resource", `${target}//acme.org/img:1.0.0`, "image", "-O", out)).exitCode,
    ).toBe(0);
    const listing = await promisify(execFile)("tar", ["tzf", out]);
    expect(listing.stdout.split("\n")).toContain(`blobs/sha256.${hex}`);
  });
});
