// Access and input types served by an external plugin work through `ocm` as built-in ones do (#11 item 3):
// the external-types fixture plugin serves the access type Inline/v1 (resourceRepository) and the input
// type Upper/v1 (inputRepository); the host knows neither.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { cliEnv, ocmCli } from "../helpers/cli.js";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const KEYS = join(REPO_ROOT, "test/fixtures/signing");
const COMPONENT = "acme.org/external";
const sha256 = (bytes: string | Buffer) => createHash("sha256").update(bytes).digest("hex");

interface Resource {
  name: string;
  relation?: string;
  access: Record<string, unknown>;
  digest?: { hashAlgorithm: string; normalisationAlgorithm: string; value: string };
}

/** `ocm` with the external-types plugin in a plugin directory, and a CTF built from a constructor using it. */
async function setup() {
  const cli = await ocmCli();
  const plugins = join(cli.home, "plugins");
  await mkdir(plugins, { recursive: true });
  const plugin = join(plugins, "external-types.mjs");
  await copyFile(
    await bundleExecutable("test/fixtures/plugins/external-types/main.ts", "external-types"),
    plugin,
  );
  await chmod(plugin, 0o755);
  const ocm = (...args: string[]) => cli("--plugin-dir", plugins, ...args);
  const dir = await useTempDir();
  const served = join(dir, "served.txt");
  await writeFile(served, "bytes the plugin serves\n");
  await writeFile(join(dir, "notes.txt"), "release notes\n");
  await writeFile(
    join(dir, "constructor.yaml"),
    [
      "components:",
      `  - name: ${COMPONENT}`,
      "    version: 1.0.0",
      "    provider:",
      "      name: acme.org",
      "    resources:",
      "      - name: notes",
      "        type: plainText",
      "        input:",
      "          type: upper",
      "          path: notes.txt",
      "      - name: greeting",
      "        type: plainText",
      "        access:",
      "          type: inline",
      "          text: hello from the plugin",
      "      - name: served",
      "        type: plainText",
      "        access:",
      "          type: Inline/v1",
      `          path: ${served}`,
      "",
    ].join("\n"),
  );
  const ctf = join(dir, "ctf");
  const added = await ocm(
    "add",
    "cv",
    "--create",
    "--repository",
    ctf,
    "--constructor",
    join(dir, "constructor.yaml"),
  );
  const ref = `${ctf}//${COMPONENT}:1.0.0`;
  const resources = async (at = ref) => {
    const got = await ocm("get", "cv", at, "-o", "json");
    expect(got.stderr).toBe("");
    return (JSON.parse(got.stdout) as { component: { resources: Resource[] } }).component.resources;
  };
  const download = async (at: string, name: string) => {
    const out = join(dir, `${name}.${sha256(at).slice(0, 8)}.out`);
    const result = await ocm("download", "resource", at, name, "-O", out);
    return { ...result, bytes: result.exitCode === 0 ? await readFile(out, "utf8") : undefined };
  };
  return { cli, ocm, plugins, dir, ctf, ref, added, served, resources, download };
}

const sign = (ocm: Awaited<ReturnType<typeof setup>>["ocm"], ref: string) =>
  ocm("sign", "cv", ref, "--signature", "acme", "--private-key", join(KEYS, "signer.rsa.key"));
const verify = (ocm: Awaited<ReturnType<typeof setup>>["ocm"], ref: string) =>
  ocm("verify", "cv", ref, "--signature", "acme", "--public-key", join(KEYS, "signer.rsa.pub"));

describe("access and input types served by an external plugin", () => {
  it("adds a component version with an external input type as a local blob of the bytes the plugin made (#11)", async () => {
    const { added, resources, download, ref } = await setup();
    expect(added.stderr).toBe("");
    expect(added.exitCode).toBe(0);
    const notes = (await resources()).find((r) => r.name === "notes");
    expect(notes?.access).toMatchObject({ type: "localBlob", mediaType: "text/plain" });
    expect(notes?.digest).toEqual({
      hashAlgorithm: "SHA-256",
      normalisationAlgorithm: "genericBlobDigest/v1",
      value: sha256("RELEASE NOTES\n"),
    });
    const got = await download(ref, "notes");
    expect(got.stderr).toBe("");
    expect(got.bytes).toBe("RELEASE NOTES\n");
  });

  it("keeps an external access from the constructor and downloads the bytes its plugin serves (#11)", async () => {
    const { resources, download, ref, served } = await setup();
    const list = await resources();
    expect(list.find((r) => r.name === "greeting")).toMatchObject({
      relation: "external",
      access: { type: "inline", text: "hello from the plugin" },
    });
    expect(list.find((r) => r.name === "served")?.access).toEqual({ type: "Inline/v1", path: served });
    const greeting = await download(ref, "greeting");
    expect(greeting.stderr).toBe("");
    expect(greeting.exitCode).toBe(0);
    expect(greeting.bytes).toBe("hello from the plugin");
    expect((await download(ref, "served")).bytes).toBe("bytes the plugin serves\n");
  });

  it("signs and verifies the bytes an external access serves, and verify names the resource whose bytes changed (#11)", async () => {
    const { ocm, dir, ref, resources, served } = await setup();
    const signed = await sign(ocm, ref);
    expect(signed.stderr).toBe("");
    expect(signed.exitCode).toBe(0);
    const list = await resources();
    expect(list.find((r) => r.name === "greeting")?.digest).toEqual({
      hashAlgorithm: "SHA-256",
      normalisationAlgorithm: "genericBlobDigest/v1",
      value: sha256("hello from the plugin"),
    });
    expect(list.find((r) => r.name === "served")?.digest?.value).toBe(sha256("bytes the plugin serves\n"));
    const verified = await verify(ocm, ref);
    expect(verified.stderr).toBe("");
    expect(verified.exitCode).toBe(0);

    await writeFile(served, "bytes someone else put there\n");
    const tampered = await verify(ocm, ref);
    expect(tampered.exitCode).toBe(1);
    expect(tampered.stderr).toContain("Code: OCM_SIGNING_BLOB_DIGEST_MISMATCH");
    expect(tampered.stderr).toContain(`${COMPONENT}:1.0.0 resource served:`);
    const download = await ocm("download", "resource", ref, "served", "-O", join(dir, "served.out"));
    expect(download.exitCode).toBe(1);
    expect(download.stderr).toContain("Code: OCM_REPOSITORY_DIGEST_MISMATCH");
    expect(existsSync(join(dir, "served.out"))).toBe(false);
  });

  it("copies external accesses by value with --copy-resources: local blobs of the same digest that verify without the plugin (#11)", async () => {
    const { cli, ocm, dir, ref, resources, download, plugins } = await setup();
    expect((await sign(ocm, ref)).exitCode).toBe(0);
    const target = join(dir, "target");
    const starts = join(dir, "starts.txt");
    const transferred = await execa(
      cli.path,
      ["--plugin-dir", plugins, "transfer", "cv", ref, target, "--copy-resources"],
      { reject: false, cwd: cli.home, env: { ...cliEnv(cli.home), OCM_TEST_STARTS_OUT: starts } },
    );
    expect(transferred.stderr).toBe("");
    expect(transferred.exitCode).toBe(0);
    // Both resources are copied at once; their first calls share one start of the plugin.
    expect((await readFile(starts, "utf8")).trim().split("\n")).toHaveLength(1);

    const copyRef = `${target}//${COMPONENT}:1.0.0`;
    const source = await resources();
    const copied = await resources(copyRef);
    for (const name of ["greeting", "served"]) {
      const before = source.find((r) => r.name === name);
      const after = copied.find((r) => r.name === name);
      expect(after?.access).toMatchObject({ type: "localBlob", globalAccess: before?.access });
      expect(after?.digest).toEqual(before?.digest);
      expect((await download(copyRef, name)).bytes).toBe((await download(ref, name)).bytes);
    }
    // The copy no longer needs the plugin: `cli` runs ocm without the plugin directory.
    const verified = await cli(
      "verify",
      "cv",
      copyRef,
      "--signature",
      "acme",
      "--public-key",
      join(KEYS, "signer.rsa.pub"),
    );
    expect(verified.stderr).toBe("");
    expect(verified.exitCode).toBe(0);
  });

  it("names the access or input type when no plugin serves it (#11)", async () => {
    const { cli, dir, ref } = await setup();
    const download = await cli("download", "resource", ref, "greeting", "-O", join(dir, "greeting.out"));
    expect(download.exitCode).toBe(1);
    expect(download.stderr).toContain('no plugin offers resourceRepository for type "inline"');
    expect(download.stderr).toContain("Code: OCM_PLUGIN_NOT_FOUND");
    const transfer = await cli("transfer", "cv", ref, join(dir, "target"), "--copy-resources");
    expect(transfer.exitCode).toBe(1);
    expect(transfer.stderr).toContain(`resource greeting of ${COMPONENT}:1.0.0:`);
    expect(transfer.stderr).toContain("Code: OCM_PLUGIN_NOT_FOUND");
    const signed = await sign(cli, ref);
    expect(signed.exitCode).toBe(1);
    expect(signed.stderr).toContain("no plugin reads access type inline");
    expect(signed.stderr).toContain("Code: OCM_SIGNING_DIGEST_UNSUPPORTED");
    expect(signed.stderr).toContain("ocm plugin install <repository>//ocm.software/plugins/inline");
    const added = await cli(
      "add",
      "cv",
      "--create",
      "--repository",
      join(dir, "other"),
      "--constructor",
      join(dir, "constructor.yaml"),
    );
    expect(added.exitCode).toBe(1);
    expect(added.stderr).toContain('no plugin offers inputRepository for type "upper"');
    expect(existsSync(join(dir, "other"))).toBe(false);
  });
});
