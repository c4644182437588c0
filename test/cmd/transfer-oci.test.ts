// `ocm transfer` with an OCI registry on either side: a real `docker-registry`, images pushed by skopeo,
// and the bundled CLI. CTF → OCI → CTF must reproduce descriptors and blobs; --copy-resources must bring
// an image into a CTF as the Go tool does.
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ocmCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { writeOciLayout } from "../helpers/oci-layout.js";
import { startRegistry, type RunningRegistry } from "../helpers/registry.js";
import { useTempDir } from "../helpers/temp-dir.js";

const HELLO = "acme.org/hello";
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
let registry: RunningRegistry;

beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.stop();
});

const cli = ocmCli;

type Cli = Awaited<ReturnType<typeof cli>>;

/**
 * Pushes a three-layer image with skopeo to `<registry>/<repository>:1.0` and adds acme.org/img:1.0.0 to a
 * new CTF with one resource referencing it (ociArtifact, ociArtifactDigest/v1 of skopeo's manifest).
 */
async function imageComponent(ocm: Cli, dir: string, repository: string) {
  const layout = await writeOciLayout(join(dir, "layout"), "1.0");
  await promisify(execFile)("skopeo", [
    "copy",
    "--dest-tls-verify=false",
    `oci:${join(dir, "layout")}:1.0`,
    `docker://${registry.host}/${repository}:1.0`,
  ]);
  const hex = layout.manifestDigest.slice("sha256:".length);
  const access = { type: "ociArtifact", imageReference: `${registry.host}/${repository}:1.0` };
  await writeFile(
    join(dir, "constructor.yaml"),
    "components:\n  - name: acme.org/img\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n" +
      `      - name: image\n        type: ociImage\n        version: "1.0"\n        access: ${JSON.stringify(access)}\n` +
      `        digest: {hashAlgorithm: SHA-256, normalisationAlgorithm: ociArtifactDigest/v1, value: ${hex}}\n`,
  );
  const source = join(dir, "source");
  const added = await ocm(
    "add",
    "cv",
    "--create",
    "--repository",
    source,
    "--constructor",
    join(dir, "constructor.yaml"),
  );
  expect(added.stderr).toBe("");
  return { source, access, hex, layout };
}

/** Adds the example's acme.org/hello:1.0.0 to a new CTF at `source`. */
async function addExample(ocm: Cli, source: string) {
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
}

/** Asserts `copy` holds acme.org/hello:1.0.0 as `original` does: the same descriptor and every blob byte for byte. */
async function expectSameExample(ocm: Cli, dir: string, original: string, copy: string) {
  const json = async (ref: string) => (await ocm("get", "cv", ref, "-o", "json")).stdout;
  expect(await json(`${copy}//${HELLO}:1.0.0`)).toBe(await json(`${original}//${HELLO}:1.0.0`));
  for (const resource of ["readme", "site", "greeting"]) {
    const out = (where: string) => join(dir, `${resource}.${where}`);
    await ocm("download", "resource", `${original}//${HELLO}:1.0.0`, resource, "-O", out("original"));
    const download = await ocm(
      "download",
      "resource",
      `${copy}//${HELLO}:1.0.0`,
      resource,
      "-O",
      out("copy"),
    );
    expect(download.stderr).toBe("");
    expect((await readFile(out("copy"))).equals(await readFile(out("original")))).toBe(true);
  }
}

describe("ocm transfer with an OCI registry", () => {
  it("reproduces the example's descriptor and every blob after CTF → OCI → CTF", async () => {
    const ocm = await cli();
    const dir = await useTempDir();
    const source = join(dir, "source");
    const back = join(dir, "back");
    const oci = `${registry.host}/round-trip`;
    await addExample(ocm, source);

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
    await expectSameExample(ocm, dir, source, back);
  });

  it("mounts local blobs from the source repository when OCI → OCI stays in one registry", async () => {
    const ocm = await cli();
    const dir = await useTempDir();
    const source = join(dir, "source");
    const first = `${registry.host}/mount-a`;
    const second = `${registry.host}/mount-b`;
    await addExample(ocm, source);
    expect((await ocm("transfer", `${source}//${HELLO}`, first)).exitCode).toBe(0);
    const descriptor = JSON.parse(
      (await ocm("get", "cv", `${first}//${HELLO}:1.0.0`, "-o", "json")).stdout,
    ) as {
      component: { resources: { access: { type: string; localReference?: string } }[] };
    };
    const digests = descriptor.component.resources.flatMap((r) =>
      r.access.localReference ? [r.access.localReference] : [],
    );
    expect(digests).toHaveLength(3);

    const before = registry.requests().length;
    const moved = await ocm("transfer", `${first}//${HELLO}:1.0.0`, second);
    expect(moved.stderr).toBe("");
    expect(moved.exitCode).toBe(0);
    const requests = registry.requests().slice(before);
    const target = "/v2/mount-b/component-descriptors/acme.org/hello/blobs/uploads/";
    for (const digest of digests) {
      expect(requests).toContain(
        `POST ${target}?mount=${digest}&from=mount-a%2Fcomponent-descriptors%2Facme.org%2Fhello`,
      );
      // Mounted, so never uploaded: no upload session ends with this digest.
      expect(requests.filter((r) => r.startsWith(`PUT ${target}`) && r.includes(digest))).toEqual([]);
    }

    await expectSameExample(ocm, dir, first, second);
  });

  it("copies an image skopeo pushed into a CTF with --copy-resources, keeping its digest", async () => {
    const ocm = await cli();
    const dir = await useTempDir();
    const { source, access, hex } = await imageComponent(ocm, dir, "images/app");
    const target = join(dir, "target");

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

  it("pushes the image into the target registry with --copy-resources and rewrites its access as the Go tool does", async () => {
    const ocm = await cli();
    const dir = await useTempDir();
    const { source, hex, layout } = await imageComponent(ocm, dir, "images/web");
    const ctfCopy = join(dir, "copy");
    const first = await ocm("transfer", `${source}//acme.org/img`, ctfCopy, "--copy-resources");
    expect(first.exitCode).toBe(0);

    // From the CTF (the image is an artifact set blob) into another registry, under a sub path.
    const mirror = await startRegistry();
    try {
      const target = `${mirror.host}/mirror`;
      const push = await ocm(
        "transfer",
        `${ctfCopy}//acme.org/img`,
        target,
        "--copy-resources",
        "-o",
        "json",
      );
      expect(push.stderr).toBe("");
      expect(JSON.parse(push.stdout)).toMatchObject({ versions: [{ action: "copied" }], blobsCopied: 1 });
      const pushed = `${mirror.host}/mirror/images/web:1.0`;
      const descriptor = JSON.parse(
        (await ocm("get", "cv", `${target}//acme.org/img:1.0.0`, "-o", "json")).stdout,
      ) as { component: { resources: Record<string, unknown>[] } };
      expect(descriptor.component.resources[0]).toMatchObject({
        digest: { normalisationAlgorithm: "ociArtifactDigest/v1", value: hex },
        access: { type: "ociArtifact", imageReference: `${pushed}@sha256:${hex}` },
      });

      // skopeo reads back the very manifest it pushed into the first registry, with all its layers.
      const raw = await promisify(execFile)(
        "skopeo",
        ["inspect", "--raw", "--tls-verify=false", `docker://${pushed}`],
        { encoding: "buffer" },
      );
      expect(`sha256:${sha256(raw.stdout)}`).toBe(layout.manifestDigest);
      for (const layer of layout.layers) {
        const head = await fetch(`${mirror.url}/v2/mirror/images/web/blobs/${layer.digest}`, {
          method: "HEAD",
        });
        expect(head.status).toBe(200);
      }

      // The descriptor digest is the same in all three repositories, and the resource digest verifies
      // against the pushed image when it is read from there.
      const hash = async (repo: string) =>
        (await ocm("hash", "cv", `${repo}//acme.org/img:1.0.0`, "-o", "json")).stdout;
      expect(await hash(target)).toBe(await hash(source));
      expect(await hash(ctfCopy)).toBe(await hash(source));
      const out = join(dir, "image.tgz");
      const download = await ocm("download", "resource", `${target}//acme.org/img:1.0.0`, "image", "-O", out);
      expect(download.stderr).toBe("");
      const listing = await promisify(execFile)("tar", ["tzf", out]);
      expect(listing.stdout.split("\n")).toContain(`blobs/sha256.${hex}`);

      // The same command again finds the version identical and writes nothing.
      const again = await ocm(
        "transfer",
        `${ctfCopy}//acme.org/img`,
        target,
        "--copy-resources",
        "-o",
        "json",
      );
      expect(JSON.parse(again.stdout)).toMatchObject({ versions: [{ action: "skipped" }], bytes: 0 });
    } finally {
      await mirror.stop();
    }
  });
});
