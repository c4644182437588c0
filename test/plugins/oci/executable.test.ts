// The OCI plugin as an executable behind a socket, reached through the plugin manager, against a real registry.
import { chmod, copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createPluginManager } from "../../../manager/index.js";
import { bundleExecutable } from "../../helpers/executables.js";
import { useTempDir } from "../../helpers/temp-dir.js";
import { bytes, collect, descriptor, localResource, repo, sha256, useRegistry } from "./helpers.js";

const registry = useRegistry();

async function externalManager() {
  const home = await useTempDir("ocm-oci-external-");
  const dir = join(home, "plugins");
  await mkdir(dir);
  await copyFile(await bundleExecutable("plugins/oci/main.ts", "oci-plugin"), join(dir, "oci.mjs"));
  await chmod(join(dir, "oci.mjs"), 0o755);
  return createPluginManager({
    pluginDirs: [dir],
    cacheFile: false,
    env: {},
    home,
    handleSignals: false,
    logLevel: "silent",
  });
}

describe("the oci plugin executable", () => {
  it("pushes and reads a component version with a local blob through the socket", async () => {
    const manager = await externalManager();
    try {
      const repository = repo(registry(), "external");
      const versions = await manager.getPlugin("OCIRegistry/v1", "componentVersionRepository");
      const data = Buffer.alloc(5 * 1024 * 1024, 9);
      const digest = `sha256:${sha256(data)}`;
      await versions.addLocalBlob(
        {
          repository,
          component: "acme.org/ext",
          version: "1.0.0",
          mediaType: "application/octet-stream",
          digest,
          size: data.length,
        },
        bytes(data),
      );
      // Pushed again: the registry has it, the body is left unread and the call still answers.
      const again = await versions.addLocalBlob(
        {
          repository,
          component: "acme.org/ext",
          version: "1.0.0",
          mediaType: "application/octet-stream",
          digest,
          size: data.length,
        },
        bytes(data),
      );
      expect(again).toMatchObject({ digest, size: data.length });
      await versions.addComponentVersion({
        repository,
        descriptor: descriptor("acme.org/ext", "1.0.0", [
          localResource("payload", digest, "application/octet-stream"),
        ]),
      });
      const { descriptor: read } = await versions.getComponentVersion({
        repository,
        component: "acme.org/ext",
        version: "1.0.0",
      });
      expect(read.component.resources).toMatchObject([{ name: "payload" }]);
      const blob = await versions.getLocalBlob({
        repository,
        component: "acme.org/ext",
        version: "1.0.0",
        localReference: digest,
      });
      expect(sha256(await collect(blob.content))).toBe(digest.slice(7));

      const lister = await manager.getPlugin("oci", "componentLister");
      expect((await lister.listComponents({ repository })).components).toEqual(["acme.org/ext"]);
      const images = await manager.getPlugin("ociArtifact", "resourceRepository");
      await expect(
        images.getResource({
          resource: {
            name: "img",
            type: "ociImage",
            access: { type: "ociArtifact", imageReference: `${registry().host}/none/img:1` },
          },
        }),
      ).rejects.toMatchObject({ code: "OCM_REPOSITORY_NOT_FOUND" });
    } finally {
      await manager.close();
    }
  });
});
