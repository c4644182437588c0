// Issue #11: a repository type served by an external Python plugin (FileRepository/v1, alias filerepo,
// test/fixtures/plugins/file-repository) works in every command that takes a repository, through the
// reference syntax `<type-or-alias>::<spec>[//<component>[:<version>]]`.
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { goArch, goOs } from "../../manager/operations/install/platform.js";
import { SIGNED_CONSTRUCTOR } from "../fixtures/signing/signed-constructor.js";
import { ocmCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const PLUGIN = join(REPO_ROOT, "test/fixtures/plugins/file-repository/file_repository.py");
const KEYS = join(REPO_ROOT, "test/fixtures/signing");

async function setup() {
  const cli = await ocmCli();
  const dir = await useTempDir();
  const pluginDir = join(dir, "plugins");
  await mkdir(pluginDir);
  await copyFile(PLUGIN, join(pluginDir, "file-repository"));
  const ocm = async (...args: string[]) => {
    const result = await cli("--plugin-dir", pluginDir, ...args);
    return result;
  };
  const ok = async (...args: string[]) => {
    const result = await ocm(...args);
    expect(result.stderr, `ocm ${args.join(" ")}`).toBe("");
    expect(result.exitCode, `ocm ${args.join(" ")}`).toBe(0);
    return result.stdout;
  };
  await writeFile(join(dir, "notes.txt"), "release notes\n");
  await writeFile(join(dir, "constructor.yaml"), SIGNED_CONSTRUCTOR);
  return { ocm, ok, dir };
}

const SIGNED = "acme.org/signed";

describe("an external Python repository plugin from the command line (#11)", () => {
  it("round-trips CTF → plugin repository → CTF with the same digest and bytes", async () => {
    const { ok, dir } = await setup();
    const source = join(dir, "source");
    const store = join(dir, "store");
    const copy = join(dir, "copy");
    await ok("add", "cv", "--create", "--repository", source, "--constructor", join(dir, "constructor.yaml"));

    // Both sides of transfer: the alias with a bare path, the canonical type with a JSON spec.
    await ok("transfer", "cv", "-q", `${source}//${SIGNED}:1.0.0`, `filerepo::${store}`);
    const jsonStore = `FileRepository/v1::${JSON.stringify({ path: store })}`;
    await ok("transfer", "cv", "-q", `${jsonStore}//${SIGNED}:1.0.0`, copy);

    const hash = (ref: string) => ok("hash", "cv", ref, "-o", "json");
    const digest = await hash(`${source}//${SIGNED}:1.0.0`);
    expect(await hash(`filerepo::${store}//${SIGNED}:1.0.0`)).toBe(digest);
    expect(await hash(`${copy}//${SIGNED}:1.0.0`)).toBe(digest);

    for (const [ref, name] of [
      [`${source}//${SIGNED}:1.0.0`, "src"],
      [`filerepo::{path: ${store}}//${SIGNED}:1.0.0`, "plugin"],
      [`${copy}//${SIGNED}:1.0.0`, "copy"],
    ] as const) {
      await ok("download", "resource", ref, "notes", "-O", join(dir, `notes.${name}`));
    }
    const original = await readFile(join(dir, "notes.txt"));
    expect(await readFile(join(dir, "notes.plugin"))).toEqual(original);
    expect(await readFile(join(dir, "notes.copy"))).toEqual(original);
  });

  it("serves add cv, get cv, get resources, sign cv and verify cv", async () => {
    const { ok, ocm, dir } = await setup();
    const store = `filerepo::${join(dir, "store")}`;
    await ok("add", "cv", "--repository", store, "--constructor", join(dir, "constructor.yaml"));

    const versions = await ok("get", "cv", `${store}//${SIGNED}`);
    expect(versions).toMatch(/acme\.org\/signed\s+1\.0\.0\s+acme\.org/);
    const resources = JSON.parse(await ok("get", "resources", `${store}//${SIGNED}:1.0.0`, "-o", "json")) as {
      items: { name: string; access: { type: string } }[];
    };
    expect(resources.items.map((r) => [r.name, r.access.type])).toEqual([
      ["notes", "localBlob"],
      ["greeting", "localBlob"],
    ]);

    const ref = `${store}//${SIGNED}:1.0.0`;
    await ok("sign", "cv", ref, "-s", "acme", "-K", join(KEYS, "signer.rsa.key"));
    expect(await ok("verify", "cv", ref, "-s", "acme", "-k", join(KEYS, "signer.pkix.pub"))).toContain(
      "acme",
    );
    const wrong = await ocm("verify", "cv", ref, "-s", "acme", "-k", join(KEYS, "other.pkix.pub"));
    expect(wrong.exitCode).not.toBe(0);
  });

  it("installs a plugin from the plugin repository", async () => {
    const { ok, dir } = await setup();
    await copyFile(join(REPO_ROOT, "plugins/examples/env-credentials.py"), join(dir, "env-credentials.py"));
    const plugin = {
      name: "acme.org/plugins/env-credentials",
      version: "1.0.0",
      provider: { name: "acme.org" },
      resources: [
        {
          name: "env-credentials",
          type: "ocmPlugin",
          version: "1.0.0",
          extraIdentity: { os: goOs(), architecture: goArch() },
          input: { type: "file", path: "env-credentials.py" },
        },
      ],
    };
    await writeFile(join(dir, "plugin.yaml"), stringify({ components: [plugin] }));
    const store = `filerepo::${join(dir, "store")}`;
    await ok("add", "cv", "--repository", store, "--constructor", join(dir, "plugin.yaml"));
    expect(await ok("plugin", "install", `${store}//acme.org/plugins/env-credentials:1.0.0`)).toContain(
      "installed env-credentials 1.0.0 from acme.org/plugins/env-credentials:1.0.0",
    );
  });

  it("lists the known repository types for an unknown one", async () => {
    const { ocm } = await setup();
    const result = await ocm("get", "cv", "git::x//acme.org/a");
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('unknown repository type "git"');
    expect(result.stderr).toMatch(/FileRepository\/v1 \(filerepo\)/);
    expect(result.stderr).toContain("ocm plugin list");
  });
});
