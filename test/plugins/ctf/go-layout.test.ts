// Storing the Go tool's own component versions again gives the Go tool's own blobs: the same descriptor
// layer, config and layer annotations, and a manifest that differs only in its creator annotation.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useTempDir } from "../../helpers/temp-dir.js";
import { FIXTURES, bytes, repo, versions } from "./helpers.js";

const CASES = [
  ["ctf-v0.20-localblob/transport-archive", "github.com/acme.org/helloworld"],
  ["ctf-v0.18-extraidentity", "github.com/mandelsoft/test1"],
] as const;

const blobFile = (ctf: string, digest: string) => join(ctf, "blobs", digest.replace(":", "."));

describe("copying a Go-written component version into a new CTF", () => {
  it.each(CASES)("reproduces the blobs of %s", async (fixture, component) => {
    const source = join(FIXTURES, fixture);
    const index = JSON.parse(await readFile(join(source, "artifact-index.json"), "utf8")) as {
      artifacts: { digest: string }[];
    };
    const original = await readFile(blobFile(source, index.artifacts[0]?.digest ?? ""), "utf8");
    const manifest = JSON.parse(original) as { layers: { mediaType: string; digest: string }[] };
    const target = join(await useTempDir(), "ctf");
    const spec = repo(target, { accessMode: "create" });
    for (const layer of manifest.layers.slice(1)) {
      const data = await readFile(blobFile(source, layer.digest));
      await versions.addLocalBlob(
        { repository: spec, component, version: "1.0.0", mediaType: layer.mediaType, digest: layer.digest },
        bytes(data),
      );
    }
    const { descriptor } = await versions.getComponentVersion({
      repository: repo(source),
      component,
      version: "1.0.0",
    });
    await versions.addComponentVersion({ repository: spec, descriptor });

    const written = JSON.parse(await readFile(join(target, "artifact-index.json"), "utf8")) as typeof index;
    const copy = await readFile(blobFile(target, written.artifacts[0]?.digest ?? ""), "utf8");
    expect(copy).toBe(
      original.replace(/"software.ocm.creator":"[^"]*"/, '"software.ocm.creator":"ocm-ts CTF plugin"'),
    );
  });
});
