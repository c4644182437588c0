// An OCI artifact stored as a local blob (an artifact set, as `--copy-resources` or the Go tool writes it)
// is signed with ociArtifactDigest/v1: the digest of its main manifest, after every blob in the set was
// checked against its name. A set whose blob was altered or is missing cannot be signed.
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { create as createTar } from "tar";
import { describe, expect, it } from "vitest";
import { createPluginManager } from "../../index.js";
import type { ComponentDescriptor } from "../../core/model/index.js";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const KEYS = join(REPO_ROOT, "test/fixtures/signing");
const SET_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+tar+gzip";
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Writes an artifact set tgz; `tamper` changes the stored blobs after the manifest named them. */
async function writeArtifactSet(
  dir: string,
  tamper: (blobs: Map<string, Buffer>) => void = () => {},
): Promise<{ path: string; manifestHex: string }> {
  const root = join(dir, "set");
  await mkdir(join(root, "blobs"), { recursive: true });
  const layer = Buffer.from("layer content");
  const config = Buffer.from("{}");
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: `sha256:${sha256(config)}`,
        size: 2,
      },
      layers: [
        { mediaType: "application/octet-stream", digest: `sha256:${sha256(layer)}`, size: layer.length },
      ],
    }),
  );
  const manifestHex = sha256(manifest);
  const blobs = new Map([manifest, config, layer].map((bytes) => [sha256(bytes), bytes]));
  tamper(blobs);
  for (const [hex, bytes] of blobs) await writeFile(join(root, "blobs", `sha256.${hex}`), bytes);
  await writeFile(
    join(root, "index.json"),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          digest: `sha256:${manifestHex}`,
          size: manifest.length,
        },
      ],
      annotations: { "software.ocm/main": `sha256:${manifestHex}` },
    }),
  );
  await writeFile(join(root, "oci-layout"), '{"imageLayoutVersion":"1.0.0"}');
  const path = join(dir, "set.tgz");
  await createTar({ gzip: true, cwd: root, file: path, portable: true }, [
    "index.json",
    "oci-layout",
    "blobs",
  ]);
  return { path, manifestHex };
}

/**
 * Replaces the genericBlobDigest/v1 `ocm add cv` records for a file input with what a transfer of an OCI
 * artifact leaves: no digest yet (`undefined`), or the image's ociArtifactDigest/v1.
 */
async function setDigest(home: string, manifestHex: string | undefined) {
  const manager = createPluginManager({
    home,
    cacheFile: false,
    handleSignals: false,
    env: { OCM_PLUGIN_DIR: "" },
  });
  try {
    const repository = { type: "CommonTransportFormat/v1", filePath: join(home, "ctf") };
    const repo = await manager.getPlugin(repository.type, "componentVersionRepository");
    const { descriptor } = await repo.getComponentVersion({
      repository,
      component: "acme.org/img",
      version: "1.0.0",
    });
    const resource = (descriptor.component.resources as Record<string, unknown>[])[0] as Record<
      string,
      unknown
    >;
    if (manifestHex === undefined) delete resource["digest"];
    else
      resource["digest"] = {
        hashAlgorithm: "SHA-256",
        normalisationAlgorithm: "ociArtifactDigest/v1",
        value: manifestHex,
      };
    await repo.addComponentVersion({ repository, descriptor, overwrite: true });
  } finally {
    await manager.close();
  }
}

async function signSet(tamper?: (blobs: Map<string, Buffer>) => void) {
  const home = await useTempDir();
  const ocm = await bundleExecutable("cmd/ocm.ts", "ocm");
  const run = (...args: string[]) =>
    execa(ocm, args, {
      reject: false,
      cwd: home,
      env: { HOME: home, XDG_CACHE_HOME: join(home, "cache"), OCM_PLUGIN_DIR: "" },
    });
  const { path, manifestHex } = await writeArtifactSet(home, tamper);
  await writeFile(
    join(home, "constructor.yaml"),
    "components:\n  - name: acme.org/img\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n" +
      `      - name: image\n        type: ociImage\n        input: {type: file, path: ${path}, mediaType: ${SET_MEDIA_TYPE}}\n`,
  );
  const ref = `${join(home, "ctf")}//acme.org/img:1.0.0`;
  const added = await run(
    "add",
    "cv",
    "--create",
    "--repository",
    join(home, "ctf"),
    "--constructor",
    "constructor.yaml",
  );
  expect(added.stderr).toBe("");
  await setDigest(home, tamper ? manifestHex : undefined);
  const signed = await run("sign", "cv", ref, "-s", "acme", "-K", join(KEYS, "signer.rsa.key"));
  return { run, ref, signed, manifestHex };
}

describe("signing an artifact set stored as a local blob", () => {
  it("records the main manifest's digest as ociArtifactDigest/v1 and verifies it", async () => {
    const { run, ref, signed, manifestHex } = await signSet();
    expect(signed.stderr).toBe("");
    const stored = JSON.parse((await run("get", "cv", ref, "-o", "json")).stdout) as ComponentDescriptor;
    expect(stored.component.resources[0]?.digest).toEqual({
      hashAlgorithm: "SHA-256",
      normalisationAlgorithm: "ociArtifactDigest/v1",
      value: manifestHex,
    });
    const verified = await run("verify", "cv", ref, "-s", "acme", "-k", join(KEYS, "signer.pkix.pub"));
    expect(verified.stderr).toBe("");
    expect(verified.exitCode).toBe(0);
  });

  it("refuses a set whose layer does not hash to its name", async () => {
    const { signed } = await signSet((blobs) => {
      const [hex] = [...blobs].find(([, bytes]) => bytes.toString() === "layer content") ?? [];
      blobs.set(hex as string, Buffer.from("layer c0ntent"));
    });
    expect(signed.exitCode).toBe(1);
    expect(signed.stderr).toMatch(
      /^Error: resource image of acme\.org\/img:1\.0\.0: the artifact set entry blobs\/sha256\.[0-9a-f]{64} does not hash to its name/,
    );
    expect(signed.stderr).toContain("Code: OCM_SIGNING_BLOB_DIGEST_MISMATCH");
  });

  it("refuses a set that lacks a layer its manifest names", async () => {
    const { signed } = await signSet((blobs) => {
      for (const [hex, bytes] of blobs) if (bytes.toString() === "layer content") blobs.delete(hex);
    });
    expect(signed.exitCode).toBe(1);
    expect(signed.stderr).toMatch(
      /resource image of acme\.org\/img:1\.0\.0: the artifact set lacks blob sha256:/,
    );
    expect(signed.stderr).toContain("Code: OCM_SIGNING_BLOB_DIGEST_MISMATCH");
  });
});
