import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { Parser } from "tar";
import { writeOciLayout } from "../../helpers/oci-layout.js";
import { useTempDir } from "../../helpers/temp-dir.js";
import { bytes, collect, images, sha256, useRegistry } from "./helpers.js";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/ocm");
const run = promisify(execFile);
const registry = useRegistry();

async function skopeoDigest(reference: string): Promise<string> {
  const { stdout } = await run(
    "skopeo",
    ["inspect", "--tls-verify=false", "--raw", `docker://${reference}`],
    {
      encoding: "buffer",
    },
  );
  return `sha256:${sha256(stdout)}`;
}

const imageResource = (imageReference: string, extra: Record<string, unknown> = {}) => ({
  name: "image",
  version: "1.0.0",
  type: "ociImage",
  relation: "external",
  access: { type: "ociArtifact", imageReference },
  ...extra,
});

/** The entries of an artifact set, name → bytes. */
async function entriesOf(archive: Buffer): Promise<Map<string, Buffer>> {
  const entries = new Map<string, Buffer>();
  const parser = new Parser({
    onReadEntry(entry) {
      const chunks: Buffer[] = [];
      entry.on("data", (chunk: Buffer) => chunks.push(chunk));
      entry.on("end", () => entries.set(entry.path.replace(/\/$/, ""), Buffer.concat(chunks)));
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on("end", resolve);
    parser.on("error", reject);
    parser.end(archive);
  });
  return entries;
}

describe("interop with skopeo", () => {
  it("reads an image skopeo pushed as an artifact set whose digest is skopeo's manifest digest", async () => {
    const dir = await useTempDir("ocm-oci-layout-");
    const layout = await writeOciLayout(dir, "1", 3);
    await run("skopeo", [
      "copy",
      "--dest-tls-verify=false",
      `oci:${dir}:1`,
      `docker://${registry().host}/acme/img:1`,
    ]);
    const digest = await skopeoDigest(`${registry().host}/acme/img:1`);
    expect(digest).toBe(layout.manifestDigest);

    const blob = await images.getResource({ resource: imageResource(`${registry().host}/acme/img:1`) });
    expect(blob).toMatchObject({ mediaType: "application/vnd.oci.image.manifest.v1+tar+gzip", digest });
    const entries = await entriesOf(await collect(blob.content));
    const names = [...entries.keys()];
    expect(names.slice(0, 4)).toEqual([
      "index.json",
      "oci-layout",
      "blobs",
      `blobs/${digest.replace(":", ".")}`,
    ]);
    for (const layer of layout.layers) expect(names).toContain(`blobs/${layer.digest.replace(":", ".")}`);
    for (const [name, content] of entries) {
      if (name.startsWith("blobs/sha256.")) expect(`sha256.${sha256(content)}`).toBe(name.slice(6));
    }
    const index = JSON.parse(entries.get("index.json")?.toString() ?? "{}") as {
      annotations: Record<string, string>;
      manifests: { annotations: Record<string, string> }[];
    };
    expect(index.annotations["software.ocm/main"]).toBe(digest);
    expect(index.manifests[0]?.annotations["software.ocm/tags"]).toBe("1");
  });

  it("pushes an artifact set to another repository with the same manifest digest and rewrites the access", async () => {
    const dir = await useTempDir("ocm-oci-layout-");
    const layout = await writeOciLayout(dir, "2", 2, 2 * 1024 * 1024);
    await run("skopeo", [
      "copy",
      "--dest-tls-verify=false",
      `oci:${dir}:2`,
      `docker://${registry().host}/acme/src:2`,
    ]);
    const blob = await images.getResource({ resource: imageResource(`${registry().host}/acme/src:2`) });
    const target = `${registry().host}/copied/img:2`;
    const { resource } = await images.addResource({ resource: imageResource(target) }, blob.content);
    expect(resource.access).toEqual({
      type: "ociArtifact",
      imageReference: `${target}@${layout.manifestDigest}`,
    });
    expect(resource["digest"]).toEqual({
      hashAlgorithm: "SHA-256",
      normalisationAlgorithm: "ociArtifactDigest/v1",
      value: layout.manifestDigest.slice(7),
    });
    expect(await skopeoDigest(target)).toBe(layout.manifestDigest);
    const out = await useTempDir("ocm-oci-out-");
    // skopeo pulls every blob back out of the pushed repository.
    await run("skopeo", ["copy", "--src-tls-verify=false", `docker://${target}`, `oci:${out}:x`]);
    for (const layer of layout.layers) {
      expect(sha256(await readFile(join(out, "blobs", "sha256", layer.digest.slice(7))))).toBe(
        layer.digest.slice(7),
      );
    }
  });

  it("pushes an artifact set written by the OCM Go tool and keeps its ociArtifactDigest", async () => {
    const archive = await readFile(
      join(
        FIXTURES,
        "ctf-v0.20-ociartifact/with-resource/blobs/sha256.e40e3a2f1ab1a98328dfd14539a79d27aff5c4d5c34cd16a85f0288bfa76490b",
      ),
    );
    const main = "sha256:62be4af3382a4493cb7f1dd4ec47bcb28f1863b615fc9e4a1dceefbe93898dd0";
    const target = `${registry().host}/go/podinfo`;
    const digest = {
      hashAlgorithm: "SHA-256",
      normalisationAlgorithm: "ociArtifactDigest/v1",
      value: main.slice(7),
    };
    const { resource } = await images.addResource(
      { resource: imageResource(target, { digest }) },
      bytes(archive),
    );
    expect(resource.access["imageReference"]).toBe(`${target}:6.7.1@${main}`);
    expect(await skopeoDigest(`${target}:6.7.1`)).toBe(main);
  });

  it("refuses an artifact whose manifest digest differs from the resource's ociArtifactDigest", async () => {
    const dir = await useTempDir("ocm-oci-layout-");
    await writeOciLayout(dir, "3", 1);
    await run("skopeo", [
      "copy",
      "--dest-tls-verify=false",
      `oci:${dir}:3`,
      `docker://${registry().host}/acme/pinned:3`,
    ]);
    const wrong = {
      hashAlgorithm: "SHA-256",
      normalisationAlgorithm: "ociArtifactDigest/v1",
      value: "0".repeat(64),
    };
    await expect(
      images.getResource({ resource: imageResource(`${registry().host}/acme/pinned:3`, { digest: wrong }) }),
    ).rejects.toMatchObject({ code: "OCM_REPOSITORY_DIGEST_MISMATCH" });
  });
});
