// Reading the Go tool's own CTFs: directory, tar and tgz, v0.18 shared blobs, an OCI artifact copied by value.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { extract } from "tar";
import { describe, expect, it } from "vitest";
import { useTempDir } from "../../helpers/temp-dir.js";
import { FIXTURES, collect, lister, repo, resources, sha256, versions } from "./helpers.js";

const HELLO = "github.com/acme.org/helloworld";

interface Res {
  [key: string]: unknown;
  name: string;
  version?: string;
  type: string;
  access: { [key: string]: unknown; type: string; localReference?: string; mediaType?: string };
  digest?: { normalisationAlgorithm: string; value: string } | null;
  extraIdentity?: Record<string, string> | null;
}

/** The manifest digest an OCI artifact set (tgz) names as its main artifact. */
async function artifactSetMain(data: Buffer): Promise<{ main: string; blobs: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), "ocm-ctf-test-"));
  try {
    await writeFile(join(dir, "set.tgz"), data);
    await extract({ file: join(dir, "set.tgz"), cwd: dir });
    const index = JSON.parse(await readFile(join(dir, "index.json"), "utf8")) as {
      annotations: Record<string, string>;
    };
    const main = index.annotations["software.ocm/main"] ?? "";
    return { main, blobs: [sha256(await readFile(join(dir, "blobs", main.replace(":", "."))))] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Fetches every resource of a version and checks its bytes against the descriptor's digest. */
async function checkResources(filePath: string, component: string, version: string): Promise<number> {
  const { descriptor } = await versions.getComponentVersion({
    repository: repo(filePath),
    component,
    version,
  });
  const list = (descriptor.component["resources"] ?? []) as Res[];
  for (const resource of list) {
    const blob = await resources.getResource({ repository: repo(filePath), component, version, resource });
    const data = await collect(blob.content);
    expect(blob.mediaType).toBe(resource.access.mediaType);
    expect(blob.digest).toBe(resource.access.localReference);
    if (resource.digest?.normalisationAlgorithm === "genericBlobDigest/v1") {
      expect(sha256(data)).toBe(resource.digest.value);
    } else {
      expect(resource.digest?.normalisationAlgorithm).toBe("ociArtifactDigest/v1");
      const set = await artifactSetMain(data);
      expect(set.main).toBe(`sha256:${resource.digest?.value ?? ""}`);
      expect(set.blobs).toEqual([resource.digest?.value]);
    }
  }
  return list.length;
}

describe("reading CTFs written by the OCM Go tool", () => {
  it.each(["transport-archive", "transport-archive.tar", "transport-archive.tar.gz"])(
    "reads %s of ctf-v0.20-localblob and returns the resource bytes the descriptor's digest names",
    async (name) => {
      const path = join(FIXTURES, "ctf-v0.20-localblob", name);
      expect(await lister.listComponents({ repository: repo(path) })).toEqual({ components: [HELLO] });
      expect(await versions.listComponentVersions({ repository: repo(path), component: HELLO })).toEqual({
        versions: ["1.0.0"],
      });
      expect(await checkResources(path, HELLO, "1.0.0")).toBe(1);
      const blob = await versions.getLocalBlob({
        repository: repo(path),
        component: HELLO,
        version: "1.0.0",
        localReference: `sha256:${sha256("test")}`,
      });
      expect(blob).toMatchObject({ mediaType: "application/octet-stream", size: 4 });
      expect((await collect(blob.content)).toString()).toBe("test");
    },
  );

  it("reads the v0.18 CTF whose resources and sources share blobs under implicit and extra identities", async () => {
    const path = join(FIXTURES, "ctf-v0.18-extraidentity");
    const { descriptor } = await versions.getComponentVersion({
      repository: repo(path),
      component: "github.com/mandelsoft/test1",
      version: "1.0.0",
    });
    const list = descriptor.component["resources"] as Res[];
    expect(list.map((r) => [r.name, r.version, r.extraIdentity ?? null])).toEqual([
      ["multi-implicit", "v1", null],
      ["multi-implicit", "v2", null],
      ["multi-explicit", "v1", { version: "v1" }],
      ["multi-explicit", "v2", { version: "v2" }],
    ]);
    expect(await checkResources(path, "github.com/mandelsoft/test1", "1.0.0")).toBe(4);
    const sources = descriptor.component["sources"] as Res[];
    for (const source of sources) {
      const blob = await versions.getLocalBlob({
        repository: repo(path),
        component: "github.com/mandelsoft/test1",
        version: "1.0.0",
        localReference: source.access.localReference ?? "",
      });
      expect(`sha256:${sha256(await collect(blob.content))}`).toBe(source.access.localReference);
    }
  });

  it("accepts a localReference in the archive file-name form sha256.<hex>", async () => {
    const path = join(FIXTURES, "ctf-v0.18-extraidentity");
    const blob = await versions.getLocalBlob({
      repository: repo(path),
      component: "github.com/mandelsoft/test1",
      version: "1.0.0",
      localReference: "sha256.916f0027a575074ce72a331777c3478d6513f786a591bd892da1a577bf2335f9",
    });
    expect((await collect(blob.content)).toString()).toBe("test data");
  });

  it("reads an OCI artifact copied by value and one kept by reference", async () => {
    const base = join(FIXTURES, "ctf-v0.20-ociartifact");
    expect(await checkResources(join(base, "with-resource"), HELLO, "1.0.0")).toBe(1);
    const { descriptor } = await versions.getComponentVersion({
      repository: repo(join(base, "without-resource")),
      component: HELLO,
      version: "1.0.0",
    });
    const [chart] = descriptor.component["resources"] as Res[];
    expect(chart?.access.type).toBe("ociArtifact");
    const [copied] = (
      await versions.getComponentVersion({
        repository: repo(join(base, "with-resource")),
        component: HELLO,
        version: "1.0.0",
      })
    ).descriptor.component["resources"] as Res[];
    expect(copied?.access).toMatchObject({
      type: "localBlob",
      referenceName: "jakobmoellerdev/podinfo/podinfo:6.7.1",
    });
  });

  it("names what the CTF holds when a component or version is missing", async () => {
    const path = join(FIXTURES, "ctf-v0.20-localblob", "transport-archive.tar");
    const version = versions.getComponentVersion({
      repository: repo(path),
      component: HELLO,
      version: "9.9.9",
    });
    await expect(version).rejects.toMatchObject({
      code: "OCM_REPOSITORY_NOT_FOUND",
      hint: "It holds: 1.0.0.",
    });
    const component = versions.listComponentVersions({ repository: repo(path), component: "acme.org/none" });
    await expect(component).rejects.toMatchObject({
      code: "OCM_REPOSITORY_NOT_FOUND",
      hint: `It holds: ${HELLO}.`,
    });
    const blob = versions.getLocalBlob({
      repository: repo(path),
      component: HELLO,
      version: "1.0.0",
      localReference: `sha256:${"0".repeat(64)}`,
    });
    await expect(blob).rejects.toMatchObject({ code: "OCM_REPOSITORY_NOT_FOUND" });
  });

  it("refuses a path that holds no CTF", async () => {
    const dir = await useTempDir();
    await expect(
      versions.listComponentVersions({ repository: repo(join(dir, "missing")), component: HELLO }),
    ).rejects.toMatchObject({
      code: "OCM_REPOSITORY_NOT_FOUND",
    });
    await writeFile(join(dir, "notes.txt"), "hello");
    await expect(lister.listComponents({ repository: repo(join(dir, "notes.txt")) })).rejects.toMatchObject({
      code: "OCM_REPOSITORY_INVALID",
    });
    await expect(lister.listComponents({ repository: { type: "ctf" } })).rejects.toMatchObject({
      code: "OCM_REPOSITORY_INVALID",
      message: expect.stringContaining("filePath") as unknown,
    });
  });
});
