import { describe, expect, it } from "vitest";
import { pushBlob } from "../../../plugins/oci/distribution/blob-upload.js";
import { blobSize, getBlob } from "../../../plugins/oci/distribution/blobs.js";
import { listTags, walkCatalog } from "../../../plugins/oci/distribution/listing.js";
import { getManifest, headManifest, putManifest } from "../../../plugins/oci/distribution/manifests.js";
import { DOCKER_MANIFEST, OCI_INDEX } from "../../../plugins/oci/distribution/media-types.js";
import { registryLocation, parseImageReference } from "../../../plugins/oci/distribution/reference.js";
import { RegistryClient } from "../../../plugins/oci/distribution/registry-client.js";
import { parseOciSpec } from "../../../plugins/oci/repository-spec.js";
import { blobUploads, bytes, collect, descriptor, repo, sha256, useRegistry, versions } from "./helpers.js";

const registry = useRegistry();
const client = () => new RegistryClient(registryLocation(registry().url));

async function pushConfig(repository: string, text = "{}") {
  const digest = `sha256:${sha256(text)}`;
  await pushBlob(client(), repository, bytes(text), { digest, size: text.length });
  return { mediaType: "application/vnd.oci.image.config.v1+json", digest, size: text.length };
}

describe("distribution client", () => {
  it("pings /v2/ of an open registry", async () => {
    expect(await client().ping()).toEqual({ status: 200 });
  });

  it("uses plain HTTP for loopback hosts and http:// URLs, HTTPS for anything else", () => {
    expect(registryLocation("127.0.0.1:5000").origin).toBe("http://127.0.0.1:5000");
    expect(registryLocation("localhost:5000").origin).toBe("http://localhost:5000");
    expect(registryLocation("http://registry.internal:5000/x").origin).toBe("http://registry.internal:5000");
    expect(registryLocation("ghcr.io").origin).toBe("https://ghcr.io");
    expect(registryLocation("https://user:pw@ghcr.io").origin).toBe("https://ghcr.io");
    expect(parseImageReference("ghcr.io/acme/app:1.0@sha256:" + "a".repeat(64))).toMatchObject({
      repository: "acme/app",
      tag: "1.0",
      digest: "sha256:" + "a".repeat(64),
    });
    expect(parseImageReference("nginx")).toMatchObject({
      repository: "library/nginx",
      registry: { host: "docker.io" },
    });
  });

  it("reads the repository spec: a path in baseUrl comes before subPath, bad specs are OCM_REPOSITORY_INVALID", () => {
    expect(parseOciSpec({ type: "OCIRegistry/v1", baseUrl: "ghcr.io/acme", subPath: "/ocm/" })).toEqual({
      registry: { origin: "https://ghcr.io", host: "ghcr.io" },
      subPath: "acme/ocm",
      where: "ghcr.io/acme/ocm",
    });
    expect(parseOciSpec({ type: "oci", baseUrl: "http://127.0.0.1:5000" }).subPath).toBe("");
    expect(() => parseOciSpec({ type: "oci" })).toThrow(
      expect.objectContaining({ code: "OCM_REPOSITORY_INVALID" }),
    );
    expect(() => parseOciSpec({ type: "oci", baseUrl: "bad host" })).toThrow(
      expect.objectContaining({ code: "OCM_OCI_REFERENCE_INVALID" }),
    );
  });

  it("mounts a blob from another repository of the same registry instead of uploading it", async () => {
    const data = Buffer.alloc(3 * 1024 * 1024, 7);
    const digest = `sha256:${sha256(data)}`;
    await pushBlob(client(), "mount/source", bytes(data), { digest, size: data.length });
    const before = blobUploads(registry()).length;
    const mounted = await pushBlob(client(), "mount/target", bytes(data), {
      digest,
      size: data.length,
      mountFrom: "mount/source",
    });
    expect(mounted).toEqual({ digest, size: data.length, outcome: "mounted" });
    expect(blobUploads(registry()).length).toBe(before);
    expect(registry().requests()).toContain(
      `POST /v2/mount/target/blobs/uploads/?mount=${digest}&from=mount%2Fsource`,
    );
    expect(await blobSize(client(), "mount/target", digest)).toBe(data.length);
  });

  it("skips blobs that exist: pushing a component version twice uploads nothing the second time", async () => {
    const repository = repo(registry(), "skip");
    await versions.addComponentVersion({ repository, descriptor: descriptor("acme.org/skip", "1.0.0") });
    const before = blobUploads(registry()).length;
    await versions.addComponentVersion({
      repository,
      descriptor: descriptor("acme.org/skip", "1.0.0"),
      overwrite: true,
    });
    expect(blobUploads(registry()).length).toBe(before);
    const first = await pushBlob(client(), "skip/blobs", bytes("{}"), {
      digest: `sha256:${sha256("{}")}`,
      size: 2,
    });
    const again = await pushBlob(client(), "skip/blobs", bytes("{}"), {
      digest: `sha256:${sha256("{}")}`,
      size: 2,
    });
    expect([first.outcome, again.outcome]).toEqual(["uploaded", "exists"]);
  });

  it("stores and reads Docker manifests and OCI indexes with their media types", async () => {
    const config = await pushConfig("media/types");
    const layer = "layer bytes";
    const layerDigest = `sha256:${sha256(layer)}`;
    await pushBlob(client(), "media/types", bytes(layer), {});
    const docker = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: DOCKER_MANIFEST,
        config: { ...config, mediaType: "application/vnd.docker.container.image.v1+json" },
        layers: [
          {
            mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip",
            digest: layerDigest,
            size: layer.length,
          },
        ],
      }),
    );
    const manifestDigest = await putManifest(client(), "media/types", "docker", docker, DOCKER_MANIFEST);
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [{ mediaType: DOCKER_MANIFEST, digest: manifestDigest, size: docker.length }],
      }),
    );
    const indexDigest = await putManifest(client(), "media/types", "index", index, OCI_INDEX);
    expect(await getManifest(client(), "media/types", "docker")).toMatchObject({
      mediaType: DOCKER_MANIFEST,
      digest: manifestDigest,
    });
    expect(await headManifest(client(), "media/types", "index")).toMatchObject({
      digest: indexDigest,
      mediaType: OCI_INDEX,
    });
    expect(await headManifest(client(), "media/types", "absent")).toBeUndefined();
    const blob = await getBlob(client(), "media/types", layerDigest);
    expect((await collect(blob.content)).toString()).toBe(layer);
  });

  it("lists tags, and walks the catalog across pages following the Link header", async () => {
    const config = await pushConfig("paged/tags");
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        config,
        layers: [],
      }),
    );
    const tags = ["a", "b", "c", "d", "e"];
    for (const tag of tags)
      await putManifest(client(), "paged/tags", tag, manifest, "application/vnd.oci.image.manifest.v1+json");
    // docker-registry 2.8 ignores `n` for tags (distribution 3 pages them); the Link path is shared with the catalog.
    expect((await listTags(client(), "paged/tags", 2)).sort()).toEqual(tags);
    for (const name of ["paged/r1", "paged/r2", "paged/r3"])
      await putManifest(client(), name, "v", manifest, "application/vnd.oci.image.manifest.v1+json").catch(
        async () => {
          await pushConfig(name);
          await putManifest(client(), name, "v", manifest, "application/vnd.oci.image.manifest.v1+json");
        },
      );
    const before = registry().requests().length;
    const seen: string[] = [];
    await walkCatalog(
      client(),
      "paged/",
      (names) => {
        seen.push(...names.filter((n) => n.startsWith("paged/")));
        return true;
      },
      2,
    );
    expect(seen).toEqual(["paged/r1", "paged/r2", "paged/r3", "paged/tags"]);
    const pages = registry()
      .requests()
      .slice(before)
      .filter((r) => r.startsWith("GET /v2/_catalog"));
    expect(pages.length).toBeGreaterThanOrEqual(2);
  });

  it("names the URL and the registry's error code when a manifest is missing", async () => {
    const error = await getManifest(client(), "nothing/here", "1.0").catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "OCM_REPOSITORY_NOT_FOUND",
      details: { registryCode: expect.stringMatching(/UNKNOWN/) },
    });
    expect((error as Error).message).toContain(`${registry().url}/v2/nothing/here/manifests/1.0`);
  });

  it("fails with OCM_OCI_REQUEST_FAILED naming the URL when nothing listens", async () => {
    const dead = new RegistryClient(registryLocation("http://127.0.0.1:9"));
    const error = await dead.ping().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "OCM_OCI_REQUEST_FAILED",
      message: expect.stringContaining("http://127.0.0.1:9/v2/"),
    });
  });
});
