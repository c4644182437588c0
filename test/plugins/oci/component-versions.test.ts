import { describe, expect, it } from "vitest";
import {
  blobUploads,
  bytes,
  collect,
  descriptor,
  lister,
  localBlobs,
  localResource,
  repo,
  sha256,
  useRegistry,
  versions,
} from "./helpers.js";

const registry = useRegistry();

interface ManifestJson {
  config: { mediaType: string };
  layers: { mediaType: string }[];
  annotations: Record<string, string>;
}
const NAME = "acme.org/hello";

describe("component versions in a registry", () => {
  it("pushes a component version with a local blob and reads descriptor and blob back", async () => {
    const repository = repo(registry(), "ocm");
    const data = "hello registry";
    const digest = `sha256:${sha256(data)}`;
    const stored = await versions.addLocalBlob(
      { repository, component: NAME, version: "1.0.0", mediaType: "text/plain", digest, size: data.length },
      bytes(data),
    );
    expect(stored).toEqual({ localReference: digest, mediaType: "text/plain", digest, size: data.length });
    const cd = descriptor(NAME, "1.0.0", [localResource("greeting", digest)]);
    await versions.addComponentVersion({ repository, descriptor: cd });

    const { descriptor: read } = await versions.getComponentVersion({
      repository,
      component: NAME,
      version: "1.0.0",
    });
    expect(read.component).toMatchObject({ name: NAME, version: "1.0.0", resources: [{ name: "greeting" }] });
    const blob = await versions.getLocalBlob({
      repository,
      component: NAME,
      version: "1.0.0",
      localReference: digest,
    });
    expect(blob).toMatchObject({ mediaType: "text/plain", size: data.length, digest });
    expect((await collect(blob.content)).toString()).toBe(data);

    const viaResource = await localBlobs.getResource({
      repository,
      component: NAME,
      version: "1.0.0",
      resource: {
        ...localResource("greeting", digest),
        access: { type: "localBlob", localReference: digest },
      },
    });
    expect((await collect(viaResource.content)).toString()).toBe(data);
  });

  it("stores the manifest under component-descriptors/<name> with the version as tag, + written as .build-", async () => {
    const repository = repo(registry(), "tags");
    await versions.addComponentVersion({ repository, descriptor: descriptor(NAME, "1.0.0+build.5") });
    const answer = await fetch(`${registry().url}/v2/tags/component-descriptors/${NAME}/tags/list`);
    expect(await answer.json()).toEqual({
      name: `tags/component-descriptors/${NAME}`,
      tags: ["1.0.0.build-build.5"],
    });
    const manifest = await fetch(
      `${registry().url}/v2/tags/component-descriptors/${NAME}/manifests/1.0.0.build-build.5`,
      {
        headers: { accept: "application/vnd.oci.image.manifest.v1+json" },
      },
    ).then((r) => r.json() as Promise<ManifestJson>);
    expect(manifest.config.mediaType).toBe("application/vnd.ocm.software.component.config.v1+json");
    expect(manifest.layers[0]?.mediaType).toBe(
      "application/vnd.ocm.software.component-descriptor.v2+yaml+tar",
    );
    expect(manifest.annotations["software.ocm.componentversion"]).toBe(`${NAME}:1.0.0+build.5`);
    const listed = await versions.listComponentVersions({ repository, component: NAME });
    expect(listed.versions).toEqual(["1.0.0+build.5"]);
  });

  it("refuses to replace an existing version unless overwrite is set", async () => {
    const repository = repo(registry(), "overwrite");
    await versions.addComponentVersion({ repository, descriptor: descriptor(NAME, "2.0.0") });
    await expect(
      versions.addComponentVersion({ repository, descriptor: descriptor(NAME, "2.0.0") }),
    ).rejects.toMatchObject({
      code: "OCM_REPOSITORY_VERSION_EXISTS",
    });
    const changed = {
      ...descriptor(NAME, "2.0.0"),
      component: { ...descriptor(NAME, "2.0.0").component, provider: "other.org" },
    };
    await versions.addComponentVersion({ repository, descriptor: changed, overwrite: true });
    const { descriptor: read } = await versions.getComponentVersion({
      repository,
      component: NAME,
      version: "2.0.0",
    });
    expect(read.component.provider).toBe("other.org");
  });

  it("refuses a component version whose local blob was not pushed first, and pushes no manifest", async () => {
    const repository = repo(registry(), "missing-blob");
    const digest = `sha256:${sha256("never pushed")}`;
    await expect(
      versions.addComponentVersion({
        repository,
        descriptor: descriptor(NAME, "1.0.0", [localResource("orphan", digest)]),
      }),
    ).rejects.toMatchObject({ code: "OCM_REPOSITORY_NOT_FOUND" });
    await expect(versions.listComponentVersions({ repository, component: NAME })).rejects.toMatchObject({
      code: "OCM_REPOSITORY_NOT_FOUND",
    });
  });

  it("reports a missing version with the versions the registry holds", async () => {
    const repository = repo(registry(), "lookup");
    await versions.addComponentVersion({ repository, descriptor: descriptor(NAME, "1.0.0") });
    await versions.addComponentVersion({ repository, descriptor: descriptor(NAME, "1.1.0") });
    const error = await versions
      .getComponentVersion({ repository, component: NAME, version: "9.9.9" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "OCM_REPOSITORY_NOT_FOUND",
      hint: expect.stringContaining("1.0.0, 1.1.0"),
    });
    await expect(
      versions.getComponentVersion({ repository, component: "acme.org/nothing", version: "1.0.0" }),
    ).rejects.toMatchObject({
      code: "OCM_REPOSITORY_NOT_FOUND",
      message: expect.stringContaining("acme.org/nothing"),
    });
  });

  it("lists components under the sub path page by page and versions in semver order", async () => {
    const repository = repo(registry(), "catalog/sub");
    const names = ["acme.org/a", "acme.org/b", "acme.org/c", "acme.org/d", "acme.org/e/f"];
    for (const name of names)
      await versions.addComponentVersion({ repository, descriptor: descriptor(name, "1.0.0") });
    for (const version of ["1.10.0", "1.2.0", "0.9.0"]) {
      await versions.addComponentVersion({ repository, descriptor: descriptor("acme.org/a", version) });
    }
    // Another sub path and a non-component repository that must not be listed.
    await versions.addComponentVersion({
      repository: repo(registry(), "catalog"),
      descriptor: descriptor("acme.org/zzz", "1.0.0"),
    });

    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await lister.listComponents({ repository, limit: 2, ...(after ? { after } : {}) });
      expect(page.components.length).toBeLessThanOrEqual(2);
      seen.push(...page.components);
      if (page.next === undefined) break;
      after = page.next;
    }
    expect(seen).toEqual(names);
    expect((await lister.listComponents({ repository })).components).toEqual(names);
    const listed = await versions.listComponentVersions({ repository, component: "acme.org/a" });
    expect(listed.versions).toEqual(["0.9.0", "1.0.0", "1.2.0", "1.10.0"]);
  });

  it("streams a 64 MiB local blob in and out with its digest checked, and skips it when pushed again", async () => {
    const repository = repo(registry(), "large");
    const chunk = Buffer.alloc(1024 * 1024);
    const total = 64;
    const hash = (await import("node:crypto")).createHash("sha256");
    for (let i = 0; i < total; i++) hash.update(chunk.fill(i));
    const digest = `sha256:${hash.digest("hex")}`;
    async function* generate() {
      for (let i = 0; i < total; i++) yield Buffer.alloc(1024 * 1024, i);
    }
    const before = blobUploads(registry()).length;
    await versions.addLocalBlob(
      {
        repository,
        component: NAME,
        version: "1.0.0",
        mediaType: "application/octet-stream",
        digest,
        size: total * 1024 * 1024,
      },
      generate(),
    );
    expect(blobUploads(registry()).length - before).toBe(1);
    await versions.addComponentVersion({
      repository,
      descriptor: descriptor(NAME, "1.0.0", [localResource("big", digest, "application/octet-stream")]),
    });
    const blob = await versions.getLocalBlob({
      repository,
      component: NAME,
      version: "1.0.0",
      localReference: digest,
    });
    const back = (await import("node:crypto")).createHash("sha256");
    let size = 0;
    for await (const part of blob.content) {
      back.update(part);
      size += part.length;
    }
    expect(size).toBe(total * 1024 * 1024);
    expect(`sha256:${back.digest("hex")}`).toBe(digest);

    const again = blobUploads(registry()).length;
    const stored = await versions.addLocalBlob(
      {
        repository,
        component: NAME,
        version: "1.0.0",
        mediaType: "application/octet-stream",
        digest,
        size: total * 1024 * 1024,
      },
      generate(),
    );
    expect(stored.digest).toBe(digest);
    expect(blobUploads(registry()).length).toBe(again);
  });

  it("uploads a blob of unknown digest and size in chunks and reports what it computed", async () => {
    const repository = repo(registry(), "chunked");
    async function* generate() {
      for (let i = 0; i < 20; i++) yield Buffer.alloc(1024 * 1024, i + 1);
    }
    const expected = (await import("node:crypto")).createHash("sha256");
    for (let i = 0; i < 20; i++) expected.update(Buffer.alloc(1024 * 1024, i + 1));
    const before = registry().requests().length;
    const stored = await versions.addLocalBlob(
      { repository, component: NAME, version: "1.0.0", mediaType: "application/octet-stream" },
      generate(),
    );
    expect(stored).toMatchObject({ digest: `sha256:${expected.digest("hex")}`, size: 20 * 1024 * 1024 });
    const patches = registry()
      .requests()
      .slice(before)
      .filter((r) => r.startsWith("PATCH "));
    expect(patches.length).toBe(3);
  });

  it("fails with OCM_REPOSITORY_DIGEST_MISMATCH when pushed bytes do not match the announced digest", async () => {
    const repository = repo(registry(), "mismatch");
    const error = await versions
      .addLocalBlob(
        {
          repository,
          component: NAME,
          version: "1.0.0",
          mediaType: "text/plain",
          digest: `sha256:${sha256("other")}`,
          size: 4,
        },
        bytes("data"),
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "OCM_REPOSITORY_DIGEST_MISMATCH" });
    expect((error as Error).message).toContain("the registry answered DIGEST_INVALID");
  });

  it("fails with OCM_REPOSITORY_DIGEST_MISMATCH when pushed bytes are fewer or more than the announced size", async () => {
    const repository = repo(registry(), "size-mismatch");
    const push = (size: number) =>
      versions
        .addLocalBlob(
          {
            repository,
            component: NAME,
            version: "1.0.0",
            mediaType: "text/plain",
            digest: `sha256:${sha256("data")}`,
            size,
          },
          bytes("data"),
        )
        .catch((e: unknown) => e);
    const short = await push(10);
    expect(short).toMatchObject({ code: "OCM_REPOSITORY_DIGEST_MISMATCH" });
    expect((short as Error).message).toContain("it has only 4 bytes");
    const long = await push(2);
    expect(long).toMatchObject({ code: "OCM_REPOSITORY_DIGEST_MISMATCH" });
    expect((long as Error).message).toContain("it has more than 2 bytes");
  });
});
