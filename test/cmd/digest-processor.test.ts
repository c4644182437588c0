// A resource's digest from the digestProcessor a plugin serves for its media type (#12): an external plugin
// in Python (test/fixtures/plugins/python/digest_plugin.py) digests text/x-acme-lines local blobs as
// acmeLines/v1 over a socket; without it, a resource without a digest gets genericBlobDigest/v1 of its
// bytes and one signed with acmeLines/v1 cannot be verified.
import { createHash } from "node:crypto";
import { chmod, copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { createPluginManager } from "../../index.js";
import type { ComponentDescriptor } from "../../core/model/index.js";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const KEYS = join(REPO_ROOT, "test/fixtures/signing");
const PLUGIN = join(REPO_ROOT, "test/fixtures/plugins/python/digest_plugin.py");
const TEXT = "one\r\ntwo\r\n";
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Removes the digest `ocm add cv` recorded, as a resource that was never digested has none. */
async function dropDigest(home: string) {
  const manager = createPluginManager({
    home,
    cacheFile: false,
    handleSignals: false,
    env: { OCM_PLUGIN_DIR: "" },
  });
  try {
    const repository = { type: "CommonTransportFormat/v1", filePath: join(home, "ctf") };
    const repo = await manager.getPlugin(repository.type, "componentVersionRepository");
    const { descriptor } = await repo.getComponentVersion({
      repository,
      component: "acme.org/lines",
      version: "1.0.0",
    });
    for (const resource of descriptor.component.resources as Record<string, unknown>[])
      delete resource["digest"];
    await repo.addComponentVersion({ repository, descriptor, overwrite: true });
  } finally {
    await manager.close();
  }
}

async function setup() {
  const home = await useTempDir();
  const ocm = await bundleExecutable("cmd/ocm.ts", "ocm");
  const plugins = join(home, "plugins");
  await mkdir(plugins);
  await copyFile(PLUGIN, join(plugins, "acme-lines"));
  await chmod(join(plugins, "acme-lines"), 0o755);
  const run = (pluginDir: string, ...args: string[]) =>
    execa(ocm, args, {
      reject: false,
      cwd: home,
      env: { HOME: home, XDG_CACHE_HOME: join(home, "cache"), OCM_PLUGIN_DIR: pluginDir },
    });
  await writeFile(join(home, "notes.txt"), TEXT);
  await writeFile(
    join(home, "constructor.yaml"),
    "components:\n  - name: acme.org/lines\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n" +
      "      - name: notes\n        type: plainText\n        input: {type: file, path: notes.txt, mediaType: text/x-acme-lines}\n",
  );
  const added = await run(
    "",
    "add",
    "cv",
    "--create",
    "--repository",
    join(home, "ctf"),
    "--constructor",
    "constructor.yaml",
  );
  expect(added.stderr).toBe("");
  await dropDigest(home);
  const ref = `${join(home, "ctf")}//acme.org/lines:1.0.0`;
  const digestOf = async () =>
    (JSON.parse((await run("", "get", "cv", ref, "-o", "json")).stdout) as ComponentDescriptor).component
      .resources[0]?.digest;
  const sign = (pluginDir: string) =>
    run(pluginDir, "sign", "cv", ref, "-s", "acme", "-K", join(KEYS, "signer.rsa.key"));
  const verify = (pluginDir: string) =>
    run(pluginDir, "verify", "cv", ref, "-s", "acme", "-k", join(KEYS, "signer.pkix.pub"));
  return { plugins, digestOf, sign, verify };
}

describe("digestProcessor of an external plugin", () => {
  it("signs a local blob with the digest its media type's plugin computes, and verifies it through the plugin", async () => {
    const { plugins, digestOf, sign, verify } = await setup();
    const signed = await sign(plugins);
    expect(signed.stderr).toBe("");
    expect(signed.exitCode).toBe(0);
    expect(await digestOf()).toEqual({
      hashAlgorithm: "SHA-256",
      normalisationAlgorithm: "acmeLines/v1",
      value: sha256("one\ntwo\n"),
    });
    const verified = await verify(plugins);
    expect(verified.stderr).toBe("");
    expect(verified.exitCode).toBe(0);

    const without = await verify("");
    expect(without.exitCode).toBe(1);
    expect(without.stderr).toContain(
      "resource notes of acme.org/lines:1.0.0: digest algorithm acmeLines/v1 is not supported for access type localBlob",
    );
    expect(without.stderr).toContain("Code: OCM_SIGNING_DIGEST_UNSUPPORTED");
  });

  it("falls back to genericBlobDigest/v1 of the bytes when no plugin serves the media type", async () => {
    const { digestOf, sign, verify } = await setup();
    const signed = await sign("");
    expect(signed.stderr).toBe("");
    expect(await digestOf()).toEqual({
      hashAlgorithm: "SHA-256",
      normalisationAlgorithm: "genericBlobDigest/v1",
      value: sha256(TEXT),
    });
    expect((await verify("")).exitCode).toBe(0);
  });
});
