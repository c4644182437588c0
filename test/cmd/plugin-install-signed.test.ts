// `ocm plugin install --verify-signature` as a user runs it (issues 5 and 6): the publisher signs the plugin's
// component version with `ocm sign cv`; the install verifies it with the publisher's public key first and
// refuses the wrong key or an unsigned plugin, leaving the plugin directory empty.
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";
import { writeEnvCredentialsConstructor } from "../helpers/env-credentials-component.js";

const KEYS = join(REPO_ROOT, "test/fixtures/signing");
const REF = "acme.org/plugins/env-credentials:1.0.0";

async function setup() {
  const home = await useTempDir();
  const pluginDir = join(home, "plugins");
  const ctf = join(home, "ctf");
  const ocmPath = await bundleExecutable("cmd/ocm.ts", "ocm");
  const ocm = (...args: string[]) =>
    execa(ocmPath, ["--plugin-dir", pluginDir, ...args], {
      reject: false,
      cwd: home,
      env: { HOME: home, XDG_CACHE_HOME: join(home, "cache"), OCM_PLUGIN_DIR: "" },
    });
  await writeEnvCredentialsConstructor(home, "constructor.yaml");
  const added = await ocm("add", "cv", "--repository", ctf, "--create", "--constructor", "constructor.yaml");
  expect(added.stderr).toBe("");
  const installed = async () => (existsSync(pluginDir) ? await readdir(pluginDir) : []);
  return { ocm, ref: `${ctf}//${REF}`, pluginDir, installed };
}

describe("ocm plugin install --verify-signature", () => {
  it("refuses an unsigned plugin, then installs it once signed and refuses the wrong key", async () => {
    const { ocm, ref, pluginDir, installed } = await setup();
    const unsigned = await ocm("plugin", "install", ref, "--verify-signature", join(KEYS, "signer.pkix.pub"));
    expect(unsigned.exitCode).toBe(1);
    expect(unsigned.stderr).toContain(`Error: refusing to install a plugin from ${REF}: it is not signed`);
    expect(unsigned.stderr).toContain("Code: OCM_SIGNING_SIGNATURE_NOT_FOUND");
    expect(unsigned.stderr).toContain("Nothing was installed.");
    expect(await installed()).toEqual([]);

    const signed = await ocm("sign", "cv", ref, "-s", "publisher", "-K", join(KEYS, "signer.rsa.key"));
    expect(signed.exitCode).toBe(0);

    const wrong = await ocm("plugin", "install", ref, "--verify-signature", join(KEYS, "other.pkix.pub"));
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toContain("signature publisher is not valid");
    expect(wrong.stderr).toContain("Code: OCM_SIGNING_SIGNATURE_INVALID");
    expect(await installed()).toEqual([]);

    const ok = await ocm(
      "plugin",
      "install",
      ref,
      "--verify-signature",
      join(KEYS, "signer.pkix.pub"),
      "--signature",
      "publisher",
    );
    expect(ok.stderr).toBe("");
    expect(ok.stdout).toBe(
      `installed env-credentials 1.0.0 from ${REF} at ${join(pluginDir, "env-credentials")}; signature publisher verified (RSASSA-PSS)`,
    );
  });

  it("rejects --signature without --verify-signature", async () => {
    const { ocm, ref, installed } = await setup();
    const result = await ocm("plugin", "install", ref, "--signature", "publisher");
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Code: OCM_USAGE_INVALID");
    expect(await installed()).toEqual([]);
  });
});
