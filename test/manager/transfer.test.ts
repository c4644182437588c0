// transferComponentVersions between real CTFs on disk, through the in-process plugins: what lands in the
// target, what is skipped, what is refused, and the order of referenced versions.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  digestDescriptor,
  parseDescriptor,
  type ComponentVersionRepository,
  type PluginDefinition,
  type PluginManager,
  type TypedSpec,
  type WireDescriptor,
} from "../../index.js";
import { ctfPlugin } from "../../plugins/ctf/plugin.js";
import { inputsPlugin } from "../../plugins/inputs/plugin.js";
import {
  transferComponentVersions,
  type TransferProgress,
} from "../../manager/operations/transfer/transfer-component-versions.js";
import { useTempDir } from "../helpers/temp-dir.js";
import { buildCtf, component, constructor, ctf, readBlob, sha256, testManager } from "./transfer-helpers.js";

const managers: PluginManager[] = [];
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
});

async function manager(builtins?: Parameters<typeof testManager>[0]) {
  const m = await testManager(builtins);
  managers.push(m);
  return m;
}

async function read(m: PluginManager, repository: ReturnType<typeof ctf>, name: string, version: string) {
  const repo = await m.getPlugin("CommonTransportFormat/v1", "componentVersionRepository");
  return (await repo.getComponentVersion({ repository, component: name, version })).descriptor;
}

async function list(m: PluginManager, repository: ReturnType<typeof ctf>, name: string) {
  const repo = await m.getPlugin("CommonTransportFormat/v1", "componentVersionRepository");
  return (await repo.listComponentVersions({ repository, component: name })).versions;
}

const digestOf = (d: WireDescriptor) => digestDescriptor(parseDescriptor(JSON.stringify(d))).value;

describe("transferComponentVersions", () => {
  it("copies a version with its blobs byte for byte and skips it on a second run", async () => {
    const m = await manager();
    const dir = await useTempDir();
    const source = await buildCtf(
      m,
      join(dir, "src"),
      constructor(component("acme.org/a", "1.0.0", { one: "first", two: "second", same: "first" })),
    );
    const target = ctf(join(dir, "tgt"));
    const events: TransferProgress[] = [];
    const first = await transferComponentVersions(m, {
      source,
      target,
      component: "acme.org/a",
      onProgress: (e) => events.push(e),
    });
    expect(first).toMatchObject({ dryRun: false, blobsCopied: 2, blobsSkipped: 0, bytes: 11 });
    expect(first.versions).toEqual([
      expect.objectContaining({ component: "acme.org/a", version: "1.0.0", action: "copied" }),
    ]);
    // Two resources with the same bytes share one blob, copied once.
    expect(first.versions[0]?.blobs.map((b) => b.elements)).toEqual([
      ["resource one", "resource same"],
      ["resource two"],
    ]);
    const copied = await read(m, target, "acme.org/a", "1.0.0");
    expect(copied).toEqual(await read(m, source, "acme.org/a", "1.0.0"));
    for (const text of ["first", "second"])
      expect((await readBlob(target.filePath as string, `sha256:${sha256(text)}`)).toString()).toBe(text);
    expect(events.at(-1)).toMatchObject({
      kind: "version-done",
      action: "copied",
      overall: { versions: 1, blobs: 2, bytes: 11, plannedVersions: 1, plannedBlobs: 2 },
    });

    const second = await transferComponentVersions(m, { source, target, component: "acme.org/a" });
    expect(second).toMatchObject({ blobsCopied: 0, blobsSkipped: 2, bytes: 0 });
    expect(second.versions[0]?.action).toBe("skipped");
  });

  it("refuses a target holding the version with other content, and replaces it with overwrite", async () => {
    const m = await manager();
    const dir = await useTempDir();
    const source = await buildCtf(
      m,
      join(dir, "src"),
      constructor(component("acme.org/a", "1.0.0", { data: "new" })),
    );
    const target = await buildCtf(
      m,
      join(dir, "tgt"),
      constructor(component("acme.org/a", "1.0.0", { data: "old" })),
    );
    const before = await read(m, target, "acme.org/a", "1.0.0");
    await expect(
      transferComponentVersions(m, { source, target, component: "acme.org/a" }),
    ).rejects.toMatchObject({
      code: "OCM_TRANSFER_TARGET_DIFFERS",
      message: expect.stringContaining("acme.org/a:1.0.0") as string,
    });
    expect(await read(m, target, "acme.org/a", "1.0.0")).toEqual(before);

    const summary = await transferComponentVersions(m, {
      source,
      target,
      component: "acme.org/a",
      overwrite: true,
    });
    expect(summary.versions[0]?.action).toBe("overwritten");
    const after = await read(m, target, "acme.org/a", "1.0.0");
    expect(digestOf(after)).toBe(digestOf(await read(m, source, "acme.org/a", "1.0.0")));
    expect((await readBlob(target.filePath as string, `sha256:${sha256("new")}`)).toString()).toBe("new");
  });

  it("selects all versions, the latest, or those matching a semver constraint", async () => {
    const m = await manager();
    const dir = await useTempDir();
    const source = await buildCtf(
      m,
      join(dir, "src"),
      constructor(
        ...["1.0.0", "1.2.0", "2.0.0-rc.1", "2.0.0", "2.1.0"].map((v) =>
          component("acme.org/a", v, { data: v }),
        ),
      ),
    );
    const run = async (name: string, options: { latest?: boolean; semver?: string }) => {
      const target = ctf(join(dir, name));
      const summary = await transferComponentVersions(m, {
        source,
        target,
        component: "acme.org/a",
        ...options,
      });
      expect(summary.versions.map((v) => v.version)).toEqual(await list(m, target, "acme.org/a"));
      return summary.versions.map((v) => v.version);
    };
    expect(await run("all", {})).toEqual(["1.0.0", "1.2.0", "2.0.0-rc.1", "2.0.0", "2.1.0"]);
    expect(await run("latest", { latest: true })).toEqual(["2.1.0"]);
    expect(await run("semver", { semver: "^1.1" })).toEqual(["1.2.0"]);
    expect(await run("both", { semver: "<2.1", latest: true })).toEqual(["2.0.0"]);
    await expect(
      transferComponentVersions(m, {
        source,
        target: ctf(join(dir, "none")),
        component: "acme.org/a",
        semver: "^3",
      }),
    ).rejects.toMatchObject({
      code: "OCM_TRANSFER_NO_MATCH",
      hint: expect.stringContaining("2.1.0") as string,
    });
    await expect(
      transferComponentVersions(m, {
        source,
        target: ctf(join(dir, "bad")),
        component: "acme.org/a",
        semver: "1.x.y.z",
      }),
    ).rejects.toMatchObject({ code: "OCM_USAGE_INVALID" });
  });

  it("transfers referenced versions first with recursive, and only the named one without", async () => {
    const m = await manager();
    const dir = await useTempDir();
    const source = await buildCtf(
      m,
      join(dir, "src"),
      constructor(
        component("acme.org/lib", "0.1.0", { lib: "library" }),
        component("acme.org/app", "1.0.0", { app: "application" }, [
          { name: "lib", componentName: "acme.org/lib", version: "0.1.0" },
        ]),
      ),
    );
    const plain = await transferComponentVersions(m, {
      source,
      target: ctf(join(dir, "plain")),
      component: "acme.org/app",
      version: "1.0.0",
    });
    expect(plain.versions.map((v) => v.component)).toEqual(["acme.org/app"]);

    const target = ctf(join(dir, "tgt"));
    const recursive = await transferComponentVersions(m, {
      source,
      target,
      component: "acme.org/app",
      version: "1.0.0",
      recursive: true,
    });
    expect(recursive.versions.map((v) => `${v.component}:${v.version}`)).toEqual([
      "acme.org/lib:0.1.0",
      "acme.org/app:1.0.0",
    ]);
    expect(digestOf(await read(m, target, "acme.org/lib", "0.1.0"))).toBe(
      digestOf(await read(m, source, "acme.org/lib", "0.1.0")),
    );
  });

  it("plans without writing in a dry run", async () => {
    const m = await manager();
    const dir = await useTempDir();
    const source = await buildCtf(
      m,
      join(dir, "src"),
      constructor(component("acme.org/a", "1.0.0", { data: "x" })),
    );
    const summary = await transferComponentVersions(m, {
      source,
      target: ctf(join(dir, "tgt")),
      component: "acme.org/a",
      dryRun: true,
    });
    expect(summary).toMatchObject({ dryRun: true, blobsCopied: 1, bytes: 0 });
    expect(summary.versions[0]).toMatchObject({ action: "copied", blobs: [{ action: "copied" }] });
    expect(await readdir(dir)).toEqual(["src"]);
  });

  it("copies an external resource by value into a local blob, keeping its digest and the original access", async () => {
    const image = Buffer.from("an OCI artifact set, as a registry plugin would stream it");
    const fakeRegistry = {
      id: "fake-oci-artifact",
      types: ["ociArtifact"],
      capabilities: ["resourceRepository" as const],
      impl: {
        getResource: async () => ({
          mediaType: "application/vnd.oci.image.manifest.v1+tar+gzip",
          size: image.length,
          digest: `sha256:${sha256(image)}`,
          // The source plugin names the copy (the host knows no image references).
          referenceName: "acme/nginx:1.25.0",
          content: (async function* () {
            yield image;
          })(),
        }),
        addResource: () => Promise.reject(new Error("not used")),
      },
    };
    const m = await manager([ctfPlugin, inputsPlugin, fakeRegistry]);
    const dir = await useTempDir();
    const access = { type: "ociArtifact", imageReference: "ghcr.io/acme/nginx:1.25.0" };
    const digest = {
      hashAlgorithm: "SHA-256",
      normalisationAlgorithm: "ociArtifactDigest/v1",
      value: "ab".repeat(32),
    };
    const yaml = [
      "components:",
      "  - name: acme.org/img",
      "    version: 1.0.0",
      "    provider: {name: acme.org}",
      "    resources:",
      `      - {name: image, type: ociImage, version: 1.25.0, access: ${JSON.stringify(access)}, digest: ${JSON.stringify(digest)}}`,
      "",
    ].join("\n");
    const source = await buildCtf(m, join(dir, "src"), yaml);
    const kept = ctf(join(dir, "kept"));
    await transferComponentVersions(m, { source, target: kept, component: "acme.org/img" });
    expect((await read(m, kept, "acme.org/img", "1.0.0")).component["resources"]).toMatchObject([{ access }]);

    const target = ctf(join(dir, "tgt"));
    const summary = await transferComponentVersions(m, {
      source,
      target,
      component: "acme.org/img",
      copyResources: true,
    });
    expect(summary).toMatchObject({ blobsCopied: 1, bytes: image.length });
    const copied = await read(m, target, "acme.org/img", "1.0.0");
    expect(copied.component["resources"]).toEqual([
      expect.objectContaining({
        digest,
        access: {
          type: "localBlob",
          localReference: `sha256:${sha256(image)}`,
          mediaType: "application/vnd.oci.image.manifest.v1+tar+gzip",
          referenceName: "acme/nginx:1.25.0",
          globalAccess: access,
        },
      }),
    ]);
    expect(digestOf(copied)).toBe(digestOf(await read(m, source, "acme.org/img", "1.0.0")));
    expect((await readBlob(target.filePath as string, `sha256:${sha256(image)}`)).equals(image)).toBe(true);
  });

  it("fails naming the resource when no plugin reads its access type", async () => {
    const m = await manager([ctfPlugin, inputsPlugin]);
    const dir = await useTempDir();
    const yaml =
      "components:\n  - name: acme.org/img\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n" +
      '      - {name: image, type: ociImage, version: "1", access: {type: ociArtifact, imageReference: "ghcr.io/a/b:1"}}\n';
    const source = await buildCtf(m, join(dir, "src"), yaml);
    const target = ctf(join(dir, "tgt"));
    await expect(
      transferComponentVersions(m, { source, target, component: "acme.org/img", copyResources: true }),
    ).rejects.toMatchObject({
      code: "OCM_PLUGIN_NOT_FOUND",
      message: expect.stringContaining("resource image of acme.org/img:1.0.0") as string,
    });
    await expect(list(m, target, "acme.org/img")).rejects.toMatchObject({ code: "OCM_REPOSITORY_NOT_FOUND" });
  });

  it("copies at most `concurrency` blobs at once, and after a failed blob adds no descriptor", async () => {
    const inner = ctfPlugin.types["CommonTransportFormat/v1"]?.capabilities.componentVersionRepository;
    if (!inner) throw new Error("the CTF plugin serves no componentVersionRepository");
    let inFlight = 0;
    let most = 0;
    const fail: { digest?: string } = {};
    const counting = {
      id: "counting-ctf",
      types: ["CountingCTF/v1"],
      capabilities: ["componentVersionRepository" as const],
      impl: {
        ...inner,
        async addLocalBlob(...args: Parameters<typeof inner.addLocalBlob>) {
          inFlight++;
          most = Math.max(most, inFlight);
          try {
            await new Promise((resolve) => setTimeout(resolve, 20));
            if (args[0].digest === fail.digest) throw new Error("disk full");
            return await inner.addLocalBlob(...args);
          } finally {
            inFlight--;
          }
        },
      },
    };
    const m = await manager([ctfPlugin, inputsPlugin, counting]);
    const dir = await useTempDir();
    const texts = Object.fromEntries(["aa", "bb", "cc", "dd", "ee", "ff"].map((n) => [n, `blob ${n}`]));
    const source = await buildCtf(m, join(dir, "src"), constructor(component("acme.org/a", "1.0.0", texts)));
    const target = (name: string) => ({ ...ctf(join(dir, name)), type: "CountingCTF/v1" });

    await transferComponentVersions(m, {
      source,
      target: target("two"),
      component: "acme.org/a",
      concurrency: 2,
    });
    expect(most).toBe(2);
    most = 0;
    await transferComponentVersions(m, {
      source,
      target: target("one"),
      component: "acme.org/a",
      concurrency: 1,
    });
    expect(most).toBe(1);

    fail.digest = `sha256:${sha256("blob cc")}`;
    await expect(
      transferComponentVersions(m, { source, target: target("failed"), component: "acme.org/a" }),
    ).rejects.toThrow(/resource cc of acme.org\/a:1.0.0.*disk full|disk full/);
    expect(inFlight).toBe(0);
    await expect(
      list(m, { ...target("failed"), type: "CommonTransportFormat/v1" }, "acme.org/a"),
    ).rejects.toMatchObject({
      code: "OCM_REPOSITORY_NOT_FOUND",
    });
  });
  it("starts a lookup repository's plugin only when a referenced version is looked up there (#15)", async () => {
    // A repository type of its own in front of a CTF, whose plugin says when it is started.
    const ctfRepo = ctfPlugin.types["CommonTransportFormat/v1"]?.capabilities
      .componentVersionRepository as ComponentVersionRepository;
    const asCtf = <T extends { repository: TypedSpec }>(request: T): T => ({
      ...request,
      repository: { ...request.repository, type: "CommonTransportFormat/v1" },
    });
    let starts = 0;
    const watched: PluginDefinition = {
      name: "watched",
      init: () => void starts++,
      types: {
        "Watched/v1": {
          capabilities: {
            componentVersionRepository: {
              ...ctfRepo,
              getComponentVersion: (request, options) => ctfRepo.getComponentVersion(asCtf(request), options),
              getLocalBlob: (request, options) => ctfRepo.getLocalBlob(asCtf(request), options),
            },
          },
        },
      },
    };
    const m = await manager([ctfPlugin, inputsPlugin, watched]);
    const dir = await useTempDir();
    const lib = component("acme.org/lib", "0.1.0", { lib: "library" });
    const app = component("acme.org/app", "1.0.0", { app: "application" }, [
      { name: "lib", componentName: "acme.org/lib", version: "0.1.0" },
    ]);
    const whole = await buildCtf(m, join(dir, "whole"), constructor(lib, app));
    const libOnly = await buildCtf(m, join(dir, "lib-only"), constructor(lib));
    const lookup = [{ ...libOnly, type: "Watched/v1" }];

    // The source holds what the app references: the lookup repository is never asked.
    const fromWhole = await transferComponentVersions(m, {
      source: whole,
      target: ctf(join(dir, "first")),
      component: "acme.org/app",
      version: "1.0.0",
      recursive: true,
      lookup,
    });
    expect(fromWhole.versions.map((v) => v.action)).toEqual(["copied", "copied"]);
    expect(starts).toBe(0);

    // A source without the library: it is looked up, and read, through the plugin.
    const appOnly = await buildCtf(m, join(dir, "app-only"), constructor(app));
    const fromAppOnly = await transferComponentVersions(m, {
      source: appOnly,
      target: ctf(join(dir, "second")),
      component: "acme.org/app",
      version: "1.0.0",
      recursive: true,
      lookup,
    });
    expect(fromAppOnly.versions.map((v) => `${v.component} ${v.action} ${v.from ?? "source"}`)).toEqual([
      `acme.org/lib copied ${join(dir, "lib-only")}`,
      "acme.org/app copied source",
    ]);
    expect(starts).toBe(1);
  });
});
