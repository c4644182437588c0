// Writing CTFs in each format and reading them back, laid out as the Go tool lays them out.
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectFormat } from "../../../sdk/archive/index.js";
import { useTempDir } from "../../helpers/temp-dir.js";
import {
  bytes,
  collect,
  descriptor,
  lister,
  localResource,
  repo,
  resources,
  sha256,
  versions,
} from "./helpers.js";

const FORMATS = [
  ["directory", "ctf"],
  ["tar", "ctf.tar"],
  ["tgz", "ctf.tgz"],
] as const;

describe.each(FORMATS)("a new %s CTF", (format, name) => {
  it("stores a component version with local blobs and reads it back", async () => {
    const path = join(await useTempDir(), name);
    const spec = repo(path, { accessMode: "create", fileFormat: format });
    const cv = { repository: spec, component: "acme.org/hello", version: "1.0.0+build.1" };
    const readme = await versions.addLocalBlob(
      { ...cv, mediaType: "text/markdown", digest: `sha256:${sha256("# Hello\n")}` },
      bytes("# Hello\n"),
    );
    expect(readme).toEqual({
      localReference: `sha256:${sha256("# Hello\n")}`,
      mediaType: "text/markdown",
      digest: `sha256:${sha256("# Hello\n")}`,
      size: 8,
    });
    const data = await versions.addLocalBlob(
      { ...cv, mediaType: "application/octet-stream" },
      bytes(new Uint8Array([0, 1, 2])),
    );
    await versions.addComponentVersion({
      repository: spec,
      descriptor: descriptor(cv.component, cv.version, [
        localResource("readme", readme.localReference, "text/markdown"),
        localResource("data", data.localReference, "application/octet-stream"),
      ]),
    });

    expect(await detectFormat(path)).toBe(format);
    const read = repo(path);
    expect(await versions.listComponentVersions({ repository: read, component: cv.component })).toEqual({
      versions: ["1.0.0+build.1"],
    });
    const { descriptor: back } = await versions.getComponentVersion({ ...cv, repository: read });
    expect(back.component["resources"]).toEqual([
      localResource("readme", readme.localReference, "text/markdown"),
      localResource("data", data.localReference, "application/octet-stream"),
    ]);
    const [first] = back.component["resources"] as ReturnType<typeof localResource>[];
    const blob = await resources.getResource({ ...cv, repository: read, resource: first! });
    expect(blob).toMatchObject({ mediaType: "text/markdown", size: 8, digest: readme.digest });
    expect((await collect(blob.content)).toString()).toBe("# Hello\n");
  });
});

describe("the CTF layout", () => {
  it("writes the index, manifest, config and annotations in the Go tool's shape", async () => {
    const path = join(await useTempDir(), "ctf");
    const spec = repo(path, { accessMode: "create" });
    const cv = { repository: spec, component: "acme.org/hello", version: "1.0.0+build.1" };
    const blob = await versions.addLocalBlob({ ...cv, mediaType: "application/octet-stream" }, bytes("test"));
    await versions.addComponentVersion({
      repository: spec,
      descriptor: descriptor(cv.component, cv.version, [
        localResource("resource", blob.localReference, "application/octet-stream"),
      ]),
    });

    const index = await readFile(join(path, "artifact-index.json"), "utf8");
    const manifestDigest = /"digest":"(sha256:[a-f0-9]{64})"/.exec(index)?.[1] ?? "";
    expect(index).toBe(
      `{"schemaVersion":1,"artifacts":[{"repository":"component-descriptors/acme.org/hello","tag":"1.0.0.build-build.1","digest":"${manifestDigest}"}]}`,
    );
    const manifestText = await readFile(join(path, "blobs", manifestDigest.replace(":", ".")), "utf8");
    expect(sha256(manifestText)).toBe(manifestDigest.slice(7));
    const manifest = JSON.parse(manifestText) as {
      config: { mediaType: string; digest: string; size: number };
      layers: { mediaType: string; digest: string; size: number; annotations?: Record<string, string> }[];
    };
    expect(Object.keys(manifest)).toEqual(["schemaVersion", "mediaType", "config", "layers", "annotations"]);
    expect(manifest.config.mediaType).toBe("application/vnd.ocm.software.component.config.v1+json");
    const [layer0, layer1] = manifest.layers;
    expect(layer0?.mediaType).toBe("application/vnd.ocm.software.component-descriptor.v2+yaml+tar");
    expect(await readFile(join(path, "blobs", manifest.config.digest.replace(":", ".")), "utf8")).toBe(
      JSON.stringify({ componentDescriptorLayer: layer0 }),
    );
    expect(layer1).toEqual({
      mediaType: "application/octet-stream",
      digest: `sha256:${sha256("test")}`,
      size: 4,
      annotations: { "software.ocm.artifact": '[{"kind":"resource","identity":{"name":"resource"}}]' },
    });
    expect((await readdir(join(path, "blobs"))).sort()).toEqual(
      [manifestDigest, manifest.config.digest, layer0?.digest, layer1?.digest]
        .map((d) => (d ?? "").replace(":", "."))
        .sort(),
    );
  });

  it("refuses a version that exists, a descriptor naming a blob never added, and writing a readonly CTF", async () => {
    const path = join(await useTempDir(), "ctf");
    const spec = repo(path, { accessMode: "create" });
    await versions.addComponentVersion({ repository: spec, descriptor: descriptor("acme.org/a", "1.0.0") });
    await expect(
      versions.addComponentVersion({ repository: spec, descriptor: descriptor("acme.org/a", "1.0.0") }),
    ).rejects.toMatchObject({
      code: "OCM_REPOSITORY_VERSION_EXISTS",
    });
    const dangling = descriptor("acme.org/a", "2.0.0", [localResource("gone", `sha256:${"1".repeat(64)}`)]);
    await expect(
      versions.addComponentVersion({ repository: spec, descriptor: dangling }),
    ).rejects.toMatchObject({
      code: "OCM_REPOSITORY_NOT_FOUND",
      message: expect.stringContaining(`sha256:${"1".repeat(64)}`) as unknown,
    });
    await expect(
      versions.addComponentVersion({
        repository: spec,
        descriptor: { meta: { schemaVersion: "v2" }, component: { name: "acme.org/a", version: "3.0.0" } },
      }),
    ).rejects.toMatchObject({
      code: "OCM_DESCRIPTOR_INVALID",
    });
    await expect(
      versions.addComponentVersion({
        repository: repo(path, { accessMode: "readonly" }),
        descriptor: descriptor("acme.org/a", "4.0.0"),
      }),
    ).rejects.toMatchObject({
      code: "OCM_REPOSITORY_INVALID",
    });
    expect(await versions.listComponentVersions({ repository: repo(path), component: "acme.org/a" })).toEqual(
      { versions: ["1.0.0"] },
    );
  });

  it("creates only where nothing else is in the way, and writes to a missing CTF only when asked to create", async () => {
    const dir = await useTempDir();
    await expect(
      versions.addComponentVersion({
        repository: repo(join(dir, "missing")),
        descriptor: descriptor("acme.org/a", "1.0.0"),
      }),
    ).rejects.toMatchObject({
      code: "OCM_REPOSITORY_NOT_FOUND",
    });
    await writeFile(join(dir, "file.txt"), "not an archive");
    await expect(
      versions.addComponentVersion({
        repository: repo(join(dir, "file.txt"), { accessMode: "create" }),
        descriptor: descriptor("acme.org/a", "1.0.0"),
      }),
    ).rejects.toMatchObject({
      code: "OCM_REPOSITORY_EXISTS",
    });
    expect(await readFile(join(dir, "file.txt"), "utf8")).toBe("not an archive");
    expect((await stat(dir)).isDirectory()).toBe(true);
  });

  it("lists components sorted, page by page", async () => {
    const path = join(await useTempDir(), "ctf.tgz");
    const spec = repo(path, { accessMode: "create", fileFormat: "tgz" });
    for (const name of ["acme.org/c", "acme.org/a", "acme.org/b"]) {
      await versions.addComponentVersion({ repository: spec, descriptor: descriptor(name, "1.0.0") });
    }
    await versions.addComponentVersion({ repository: spec, descriptor: descriptor("acme.org/a", "1.1.0") });
    expect(await lister.listComponents({ repository: repo(path), limit: 2 })).toEqual({
      components: ["acme.org/a", "acme.org/b"],
      next: "acme.org/b",
    });
    expect(await lister.listComponents({ repository: repo(path), after: "acme.org/b", limit: 2 })).toEqual({
      components: ["acme.org/c"],
    });
    expect(await versions.listComponentVersions({ repository: repo(path), component: "acme.org/a" })).toEqual(
      { versions: ["1.0.0", "1.1.0"] },
    );
  });

  it("stores a resource through resourceRepository and serves it back by its localBlob access", async () => {
    const path = join(await useTempDir(), "ctf.tar");
    const cv = {
      repository: repo(path, { accessMode: "create", fileFormat: "tar" }),
      component: "acme.org/r",
      version: "1.0.0",
    };
    const added = await resources.addResource(
      {
        ...cv,
        resource: { name: "notes", version: "1.0.0", type: "plainText", access: { type: "none" } },
        mediaType: "text/plain",
      },
      bytes("some notes"),
    );
    expect(added.resource).toMatchObject({
      access: {
        type: "localBlob",
        localReference: `sha256:${sha256("some notes")}`,
        mediaType: "text/plain",
      },
      digest: {
        hashAlgorithm: "SHA-256",
        normalisationAlgorithm: "genericBlobDigest/v1",
        value: sha256("some notes"),
      },
    });
    await versions.addComponentVersion({
      repository: cv.repository,
      descriptor: descriptor(cv.component, cv.version, [{ ...added.resource, relation: "local" }]),
    });
    const blob = await resources.getResource({ ...cv, repository: repo(path), resource: added.resource });
    expect((await collect(blob.content)).toString()).toBe("some notes");
    await expect(resources.getResource({ resource: added.resource })).rejects.toMatchObject({
      code: "OCM_RPC_BAD_REQUEST",
    });
  });
});
