// transferComponentVersions with copyResources into a real registry: an `ociArtifact` resource is pushed
// into the target registry where the Go tool puts it, and its access rewritten to the pushed reference.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PluginManager } from "../../index.js";
import { imageTargetReference } from "../../plugins/oci/blob-placement.js";
import { transferComponentVersions } from "../../manager/operations/transfer/transfer-component-versions.js";
import { writeOciLayout } from "../helpers/oci-layout.js";
import { startRegistry, type RunningRegistry } from "../helpers/registry.js";
import { useTempDir } from "../helpers/temp-dir.js";
import { buildCtf, testManager } from "./transfer-helpers.js";

let registry: RunningRegistry;
const managers: PluginManager[] = [];
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.stop();
});
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.close()));
});

const oci = (baseUrl: string, subPath?: string) => ({
  type: "OCIRegistry/v1",
  baseUrl,
  ...(subPath === undefined ? {} : { subPath }),
});

describe("the target reference of an image copied into a registry", () => {
  it("puts the referenceName's repository and tag under the target's path and sub path", () => {
    expect(imageTargetReference(oci("https://ghcr.io/acme", "mirror"), "library/nginx:1.25", "x.org/c")).toBe(
      "https://ghcr.io/acme/mirror/library/nginx:1.25",
    );
    expect(imageTargetReference(oci("http://127.0.0.1:5000"), "app:1.0@sha256:00", "x.org/c")).toBe(
      "http://127.0.0.1:5000/app:1.0",
    );
  });

  it("uses the component name without a referenceName and no tag without one in it", () => {
    expect(imageTargetReference(oci("ghcr.io", "m"), undefined, "acme.org/c")).toBe("ghcr.io/m/acme.org/c");
    expect(imageTargetReference(oci("localhost:5000"), "images/app", "acme.org/c")).toBe(
      "localhost:5000/images/app",
    );
  });
});

describe("transferComponentVersions with copyResources into a registry", () => {
  it("pushes an ociArtifact resource into the target registry and keeps its ociArtifactDigest", async () => {
    const m = await testManager();
    managers.push(m);
    const dir = await useTempDir();
    const layout = await writeOciLayout(join(dir, "layout"), "2.1", 2);
    await promisify(execFile)("skopeo", [
      "copy",
      "--dest-tls-verify=false",
      `oci:${join(dir, "layout")}:2.1`,
      `docker://${registry.host}/upstream/tool:2.1`,
    ]);
    const hex = layout.manifestDigest.slice("sha256:".length);
    const access = { type: "ociArtifact", imageReference: `${registry.host}/upstream/tool:2.1` };
    const source = await buildCtf(
      m,
      join(dir, "source"),
      "components:\n  - name: acme.org/tool\n    version: 2.1.0\n    provider: {name: acme.org}\n" +
        `    resources:\n      - {name: tool, type: ociImage, version: "2.1", access: ${JSON.stringify(access)},\n` +
        `         digest: {hashAlgorithm: SHA-256, normalisationAlgorithm: ociArtifactDigest/v1, value: ${hex}}}\n`,
    );
    const target = oci(registry.url, "site");
    const summary = await transferComponentVersions(m, {
      source,
      target,
      component: "acme.org/tool",
      copyResources: true,
    });
    expect(summary).toMatchObject({ blobsCopied: 1, versions: [{ action: "copied" }] });

    const repo = await m.getPlugin("OCIRegistry/v1", "componentVersionRepository");
    const { descriptor } = await repo.getComponentVersion({
      repository: target,
      component: "acme.org/tool",
      version: "2.1.0",
    });
    expect((descriptor.component.resources as unknown[])[0]).toMatchObject({
      access: {
        type: "ociArtifact",
        imageReference: `${registry.host}/site/upstream/tool:2.1@sha256:${hex}`,
      },
      digest: { normalisationAlgorithm: "ociArtifactDigest/v1", value: hex },
    });
    const manifest = await fetch(`${registry.url}/v2/site/upstream/tool/manifests/2.1`, {
      method: "HEAD",
      headers: { accept: "application/vnd.oci.image.manifest.v1+json" },
    });
    expect(manifest.headers.get("docker-content-digest")).toBe(layout.manifestDigest);
  });
});
