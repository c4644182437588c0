// Shared pieces of the CTF plugin tests: the capability implementations, fixture paths and byte helpers.
import { chmod, copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import { createPluginManager } from "../../../manager/index.js";
import { ctfPlugin } from "../../../plugins/ctf/plugin.js";
import { bundleExecutable } from "../../helpers/executables.js";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "../../fixtures/ocm");

/**
 * The form under test: the definition's own implementations (default), or, with OCM_CTF_FORM=external, the
 * CTF plugin as an executable behind a socket, reached through the plugin manager. `npm test` runs the CTF
 * suite in both forms (see vitest.config.ts).
 */
export const FORM = process.env["OCM_CTF_FORM"] === "external" ? "external" : "in-process";

async function capabilities() {
  if (FORM === "in-process") {
    const ctfType = ctfPlugin.types["CommonTransportFormat/v1"];
    if (ctfType === undefined) throw new Error("the ctf plugin serves no CommonTransportFormat/v1");
    return {
      versions: ctfType.capabilities.componentVersionRepository!,
      lister: ctfType.capabilities.componentLister!,
      resources: ctfType.capabilities.resourceRepository!,
    };
  }
  const home = await mkdtemp(join(tmpdir(), "ocm-ctf-external-"));
  const dir = join(home, "plugins");
  await mkdir(dir);
  await copyFile(await bundleExecutable("plugins/ctf/main.ts", "ctf-plugin"), join(dir, "ctf.mjs"));
  await chmod(join(dir, "ctf.mjs"), 0o755);
  const manager = createPluginManager({
    pluginDirs: [dir],
    cacheFile: false,
    env: {},
    home,
    handleSignals: false,
    logLevel: "silent",
  });
  afterAll(async () => {
    await manager.close();
    await rm(home, { recursive: true, force: true });
  });
  return {
    versions: await manager.getPlugin("CommonTransportFormat/v1", "componentVersionRepository"),
    lister: await manager.getPlugin("CommonTransportFormat/v1", "componentLister"),
    resources: await manager.getPlugin("CommonTransportFormat/v1", "resourceRepository"),
  };
}

export const { versions, lister, resources } = await capabilities();

/** A repository specification for a CTF at `filePath`. */
export const repo = (filePath: string, extra: Record<string, unknown> = {}) => ({
  type: "CommonTransportFormat/v1",
  filePath,
  ...extra,
});

export { bytes, collect, descriptor, localResource, sha256 } from "../../helpers/component-versions.js";
