// Writes a small multi-layer OCI image layout (image-spec image-layout.md) for interop tests with tools we
// did not write, such as `skopeo copy oci:<dir>:<tag> docker://...`.
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { TAR_END, tarHeader, tarPadding } from "../../plugins/oci/artifact-set/tar-write.js";

const digestOf = (bytes: Uint8Array) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

/** A tar holding one file. */
function singleFileTar(name: string, content: Buffer): Buffer {
  return Buffer.concat([tarHeader(name, content.length, "0"), content, tarPadding(content.length), TAR_END]);
}

/** What was written: the manifest digest and the descriptors of config and layers. */
export interface WrittenLayout {
  manifestDigest: string;
  manifest: Buffer;
  layers: { digest: string; size: number }[];
}

/**
 * Writes an OCI image layout with `layerCount` gzipped tar layers of `layerSize` bytes of content each, the
 * manifest tagged `tag` in index.json.
 */
export async function writeOciLayout(
  dir: string,
  tag: string,
  layerCount = 3,
  layerSize = 64 * 1024,
): Promise<WrittenLayout> {
  const blobs = join(dir, "blobs", "sha256");
  await mkdir(blobs, { recursive: true });
  const store = async (bytes: Buffer) => {
    const digest = digestOf(bytes);
    await writeFile(join(blobs, digest.slice(7)), bytes);
    return { digest, size: bytes.length };
  };
  const layers: { digest: string; size: number; diffId: string }[] = [];
  for (let i = 0; i < layerCount; i++) {
    const tar = singleFileTar(`file-${i}.bin`, Buffer.alloc(layerSize, i + 1));
    layers.push({ ...(await store(gzipSync(tar))), diffId: digestOf(tar) });
  }
  const config = await store(
    Buffer.from(
      JSON.stringify({
        architecture: "amd64",
        os: "linux",
        config: {},
        rootfs: { type: "layers", diff_ids: layers.map((l) => l.diffId) },
      }),
    ),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
      layers: layers.map((l) => ({
        mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
        digest: l.digest,
        size: l.size,
      })),
    }),
  );
  const stored = await store(manifest);
  await writeFile(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  await writeFile(
    join(dir, "index.json"),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          ...stored,
          annotations: { "org.opencontainers.image.ref.name": tag },
        },
      ],
    }),
  );
  return {
    manifestDigest: stored.digest,
    manifest,
    layers: layers.map(({ digest, size }) => ({ digest, size })),
  };
}
