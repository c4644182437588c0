// `installPlugin` with `verifySignature` (issues 5 and 6): the plugin's component version is verified as
// `ocm verify cv` does before anything lands in the plugin directory. A signed plugin installs; an
// unsigned one, the wrong key, a tampered blob and a resource excluded from signing are each refused with
// their own code, leaving the plugin directory without the plugin.
import { existsSync } from "node:fs";
import { copyFile, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { createPluginManager } from "../../index.js";
import { installPlugin } from "../../manager/operations/install/install-plugin.js";
import { addComponentVersions } from "../../manager/operations/add-component-versions.js";
import { signComponentVersion } from "../../manager/operations/sign-component-version.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const PYTHON_PLUGIN = join(REPO_ROOT, "plugins/examples/env-credentials.py");
const KEYS = join(REPO_ROOT, "test/fixtures/signing");
const COMPONENT = "acme.org/plugins/env";
const key = (name: string) => readFile(join(KEYS, name), "utf8");

/** The error a promise rejects with. */
async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string; hint?: string };
  }
  throw new Error("the install was not refused");
}

async function setup() {
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
  await copyFile(PYTHON_PLUGIN, join(home, "env-credentials.py"));
  await writeFile(
    join(home, "constructor.yaml"),
    stringify({
      components: [
        {
          name: COMPONENT,
          version: "1.0.0",
          provider: { name: "acme.org" },
          resources: [
            {
              name: "env",
              type: "ocmPlugin",
              version: "1.0.0",
              extraIdentity: { os: "linux", architecture: "amd64" },
              input: { type: "file", path: "env-credentials.py" },
            },
          ],
        },
      ],
    }),
  );
  await addComponentVersions(manager, {
    repository: { ...repository, accessMode: "create" },
    constructorPath: join(home, "constructor.yaml"),
  });
  const sign = async (signature = "publisher") =>
    signComponentVersion(manager, {
      repository,
      component: COMPONENT,
      version: "1.0.0",
      signature,
      privateKey: await key("signer.rsa.key"),
    });
  const install = async (publicKey: string, signature?: string) =>
    installPlugin(manager, {
      repository,
      component: COMPONENT,
      version: "1.0.0",
      pluginDir,
      os: "linux",
      architecture: "amd64",
      verifySignature: { publicKey: await key(publicKey), signature },
    });
  /** What the plugin directory holds besides staging leftovers (there must be none either). */
  const installed = async () => (existsSync(pluginDir) ? await readdir(pluginDir) : []);
  /** Rewrites the stored descriptor, as a party with write access to the repository could. */
  const rewrite = async (change: (resource: Record<string, unknown>) => void) => {
    const repo = await manager.getPlugin(repository.type, "componentVersionRepository");
    const target = { repository, component: COMPONENT, version: "1.0.0" };
    const { descriptor } = await repo.getComponentVersion(target);
    change((descriptor.component.resources as Record<string, unknown>[])[0] as Record<string, unknown>);
    await repo.addComponentVersion({ repository, descriptor, overwrite: true });
  };
  return { home, pluginDir, manager, sign, install, installed, rewrite };
}

describe("installPlugin with a signature to verify", () => {
  it("installs a signed plugin and records the verified signature in its provenance", async () => {
    const { pluginDir, manager, sign, install } = await setup();
    try {
      const { signature } = await sign();
      const result = await install("signer.pkix.pub");
      expect(result.status).toBe("installed");
      expect(result.provenance.signature).toEqual({
        name: "publisher",
        algorithm: "RSASSA-PSS",
        digest: `SHA-256:${signature.digest.value}`,
      });
      expect(await readFile(join(pluginDir, "env"))).toEqual(await readFile(PYTHON_PLUGIN));
      const record = JSON.parse(await readFile(join(pluginDir, ".env.ocm-plugin.json"), "utf8")) as {
        provenance: { signature: unknown };
      };
      expect(record.provenance.signature).toEqual(result.provenance.signature);
    } finally {
      await manager.close();
    }
  });

  it("refuses an unsigned plugin with OCM_SIGNING_SIGNATURE_NOT_FOUND and installs nothing", async () => {
    const { manager, install, installed } = await setup();
    try {
      const error = await refusal(install("signer.pkix.pub"));
      expect(error.code).toBe("OCM_SIGNING_SIGNATURE_NOT_FOUND");
      expect(error.message).toBe(`refusing to install a plugin from ${COMPONENT}:1.0.0: it is not signed`);
      expect(await installed()).toEqual([]);
    } finally {
      await manager.close();
    }
  });

  it("refuses a signature the key does not verify with OCM_SIGNING_SIGNATURE_INVALID and installs nothing", async () => {
    const { manager, sign, install, installed } = await setup();
    try {
      await sign();
      const error = await refusal(install("other.pkix.pub"));
      expect(error.code).toBe("OCM_SIGNING_SIGNATURE_INVALID");
      expect(error.message).toContain(
        `refusing to install a plugin from ${COMPONENT}:1.0.0: signature publisher is not valid`,
      );
      expect(await installed()).toEqual([]);
    } finally {
      await manager.close();
    }
  });

  it("refuses a plugin blob changed after signing with OCM_SIGNING_BLOB_DIGEST_MISMATCH and installs nothing", async () => {
    const { home, manager, sign, install, installed } = await setup();
    try {
      await sign();
      const original = await readFile(PYTHON_PLUGIN);
      const blobs = join(home, "ctf", "blobs");
      let tampered = 0;
      for (const name of await readdir(blobs)) {
        if ((await readFile(join(blobs, name))).equals(original)) {
          await writeFile(join(blobs, name), `${original.toString("utf8")}\nprint("injected")\n`);
          tampered++;
        }
      }
      expect(tampered).toBe(1);
      const error = await refusal(install("signer.pkix.pub"));
      expect(error.code).toBe("OCM_SIGNING_BLOB_DIGEST_MISMATCH");
      expect(error.message).toContain(`resource env[architecture=amd64,os=linux] of ${COMPONENT}:1.0.0`);
      expect(await installed()).toEqual([]);
    } finally {
      await manager.close();
    }
  });

  it("asks for --signature when there are several, and installs with the named one", async () => {
    const { manager, sign, install, installed } = await setup();
    try {
      await sign("first");
      await sign("second");
      const error = await refusal(install("signer.pkix.pub"));
      expect(error.code).toBe("OCM_SIGNING_SIGNATURE_NOT_FOUND");
      expect(error.hint).toContain("Choose one with --signature <name>: first, second.");
      expect(await installed()).toEqual([]);
      expect((await refusal(install("signer.pkix.pub", "third"))).code).toBe(
        "OCM_SIGNING_SIGNATURE_NOT_FOUND",
      );
      expect((await install("signer.pkix.pub", "second")).provenance.signature?.name).toBe("second");
    } finally {
      await manager.close();
    }
  });

  it("refuses a plugin resource excluded from signing with OCM_INSTALL_NOT_SIGNED", async () => {
    const { manager, sign, install, installed, rewrite } = await setup();
    try {
      await rewrite((resource) => {
        resource["digest"] = {
          hashAlgorithm: "NO-DIGEST",
          normalisationAlgorithm: "EXCLUDE-FROM-SIGNATURE",
          value: "NO-DIGEST",
        };
      });
      await sign();
      const error = await refusal(install("signer.pkix.pub"));
      expect(error.code).toBe("OCM_INSTALL_NOT_SIGNED");
      expect(error.message).toContain("signature publisher does not cover its bytes");
      expect(await installed()).toEqual([]);
    } finally {
      await manager.close();
    }
  });
});
