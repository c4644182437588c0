import { describe, expect, it } from "vitest";
import { pushBlob } from "../../../plugins/oci/distribution/blob-upload.js";
import { getManifest, putManifest } from "../../../plugins/oci/distribution/manifests.js";
import { DOCKER_MANIFEST, OCI_INDEX, OCI_MANIFEST } from "../../../plugins/oci/distribution/media-types.js";
import { registryLocation } from "../../../plugins/oci/distribution/reference.js";
import { RegistryClient } from "../../../plugins/oci/distribution/registry-client.js";
import { bytes, images, sha256, useRegistry } from "./helpers.js";

const registry = useRegistry();
const client = () => new RegistryClient(registryLocation(registry().url));

/** Pushes a one-layer manifest of `mediaType` to `repository` and returns its descriptor. */
async function pushImage(repository: string, mediaType: string, seed: string) {
  const parts = [`{"seed":"${seed}"}`, `layer ${seed}`];
  const [config, layer] = await Promise.all(
    parts.map(async (text) => {
      const digest = `sha256:${sha256(text)}`;
      await pushBlob(client(), repository, bytes(text), { digest, size: text.length });
      return { digest, size: text.length };
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", ...layer }],
    }),
  );
  const digest = await putManifest(client(), repository, `sha256:${sha256(manifest)}`, manifest, mediaType);
  return { mediaType, digest, size: manifest.length };
}

const imageResource = (imageReference: string) => ({
  name: "image",
  type: "ociImage",
  access: { type: "ociArtifact", imageReference },
});

describe("artifact sets", () => {
  it("copies a multi-platform index with its manifests and blobs to another repository", async () => {
    const amd = await pushImage("multi/src", OCI_MANIFEST, "amd64");
    const arm = await pushImage("multi/src", OCI_MANIFEST, "arm64");
    const index = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [amd, arm] }),
    );
    const indexDigest = await putManifest(client(), "multi/src", "1.0", index, OCI_INDEX);

    const blob = await images.getResource({ resource: imageResource(`${registry().host}/multi/src:1.0`) });
    expect(blob).toMatchObject({
      mediaType: "application/vnd.oci.image.index.v1+tar+gzip",
      digest: indexDigest,
    });
    const { resource } = await images.addResource(
      { resource: imageResource(`${registry().host}/multi/copy:2.0`) },
      blob.content,
    );
    expect(resource.access["imageReference"]).toBe(`${registry().host}/multi/copy:2.0@${indexDigest}`);
    expect((await getManifest(client(), "multi/copy", "2.0")).digest).toBe(indexDigest);
    for (const child of [amd, arm]) {
      expect((await getManifest(client(), "multi/copy", child.digest)).digest).toBe(child.digest);
    }
  });

  it("names a Docker manifest's artifact set with the Docker media type", async () => {
    const image = await pushImage("docker/src", DOCKER_MANIFEST, "docker");
    const blob = await images.getResource({
      resource: imageResource(`${registry().host}/docker/src@${image.digest}`),
    });
    expect(blob).toMatchObject({
      mediaType: "application/vnd.docker.distribution.manifest.v2+tar+gzip",
      digest: image.digest,
    });
    const { resource } = await images.addResource(
      { resource: imageResource(`${registry().host}/docker/copy:1`) },
      blob.content,
    );
    expect(resource.access["imageReference"]).toBe(`${registry().host}/docker/copy:1@${image.digest}`);
  });
});
