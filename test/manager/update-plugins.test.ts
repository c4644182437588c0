// `updatePlugins` for a plugin installed with a verified signature (#16): its update is verified too, and
// one that is not, or does not verify, keeps the installed version.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { createPluginManager } from "../../index.js";
import { installPlugin } from "../../manager/operations/install/install-plugin.js";
import { updatePlugins } from "../../manager/operations/install/update-plugins.js";
import { addComponentVersions } from "../../manager/operations/add-component-versions.js";
import { signComponentVersion } from "../../manager/operations/sign-component-version.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const PYTHON_PLUGIN = join(REPO_ROOT, "plugins/examples/env-credentials.py");
const KEYS = join(REPO_ROOT, "test/fixtures/signing");
const COMPONENT = "acme.org/plugins/env";

describe("updatePlugins", () => {
  it("updates a plugin installed with a verified signature only with a key, and keeps it when the new version is unsigned (#16)", async () => {
    const home = await useTempDir();
    const pluginDir = join(home, "plugins");
    const manager = createPluginManager({
      cacheFile: false,
      env: {},
      home,
      handleSignals: false,
      logLevel: "silent",
    });
    const repository = { type: "CommonTransportFormat/v1", filePath: join(home, "ctf") };
    const privateKey = await readFile(join(KEYS, "signer.rsa.key"), "utf8");
    const verifySignature = { publicKey: await readFile(join(KEYS, "signer.pkix.pub"), "utf8") };
    const publish = async (version: string, signed: boolean) => {
      const script = (await readFile(PYTHON_PLUGIN, "utf8")).replace(
        /^VERSION = "1\.0\.0"/m,
        `VERSION = "${version}"`,
      );
      await writeFile(join(home, `env-${version}.py`), script);
      const resource = {
        name: "env",
        type: "ocmPlugin",
        version,
        extraIdentity: { os: "linux", architecture: "amd64" },
        input: { type: "file", path: `env-${version}.py` },
      };
      await writeFile(
        join(home, `${version}.yaml`),
        stringify({
          components: [{ name: COMPONENT, version, provider: { name: "acme.org" }, resources: [resource] }],
        }),
      );
      await addComponentVersions(manager, {
        repository: version === "1.0.0" ? { ...repository, accessMode: "create" } : repository,
        constructorPath: join(home, `${version}.yaml`),
      });
      if (signed) {
        await signComponentVersion(manager, {
          repository,
          component: COMPONENT,
          version,
          signature: "acme",
          privateKey,
        });
      }
    };
    try {
      await publish("1.0.0", true);
      await installPlugin(manager, {
        repository,
        component: COMPONENT,
        pluginDir,
        os: "linux",
        architecture: "amd64",
        verifySignature,
      });
      await publish("1.1.0", true);

      const unverified = await updatePlugins(manager, { pluginDirs: [pluginDir] });
      expect(unverified).toMatchObject([
        { id: "env", status: "failed", from: "1.0.0", error: { code: "OCM_USAGE_INVALID" } },
      ]);
      expect(unverified[0]?.error?.hint).toContain("--verify-signature");

      expect(await updatePlugins(manager, { pluginDirs: [pluginDir], verifySignature })).toMatchObject([
        { id: "env", status: "updated", from: "1.0.0", to: "1.1.0" },
      ]);
      const record = JSON.parse(await readFile(join(pluginDir, ".env.ocm-plugin.json"), "utf8")) as {
        provenance: { version: string; signature?: { name: string } };
      };
      expect(record.provenance).toMatchObject({ version: "1.1.0", signature: { name: "acme" } });

      await publish("1.2.0", false);
      const unsigned = await updatePlugins(manager, { pluginDirs: [pluginDir], id: "env", verifySignature });
      expect(unsigned).toMatchObject([{ id: "env", status: "failed", from: "1.1.0" }]);
      expect(unsigned[0]?.error?.code).toMatch(/^OCM_SIGNING_/);
      expect(await readFile(join(pluginDir, "env"), "utf8")).toContain('VERSION = "1.1.0"');
    } finally {
      await manager.close();
    }
  }, 60_000);
});
