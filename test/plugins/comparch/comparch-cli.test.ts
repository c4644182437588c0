// Component Archives (#14 item 4) through the `ocm` CLI as a user runs it, with the comparch plugin as an
// installed executable in a plugin directory: the Go-written fixtures read, download and verify; transfer
// goes archive → CTF → archive with the same digest; an archive takes one component version only; hostile
// archives are refused.
import { copyFile, cp, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { ocmCli } from "../../helpers/cli.js";
import { REPO_ROOT, bundleExecutable } from "../../helpers/executables.js";
import { useTempDir } from "../../helpers/temp-dir.js";
import { dir, file, symlink, tarOf } from "../ctf/tar-builder.js";

const FIXTURES = join(REPO_ROOT, "test/fixtures/ocm");
const LEGACY = join(FIXTURES, "comparch-legacy");
const SIGNED_DIR = join(FIXTURES, "signed-comparch-rsa-v1norm");
const SIGNED = "github.com/mandelsoft/test:1.0.0";
const SIGNED_BLOB = "sha256.c893900c1106f13d55648a425f502dd6518e40eaa3ac7d24023d4c73d55dc12e";
const LEGACY_BLOB = "sha256.3ed99e50092c619823e2c07941c175ea2452f1455f570c55510586b387ec2ff2";

/** `ocm` with the bundled comparch plugin in its plugin directory, and a work directory. */
async function setup() {
  const cli = await ocmCli();
  const work = await useTempDir();
  const pluginDir = join(work, "plugins");
  await mkdir(pluginDir);
  const plugin = join(pluginDir, "comparch.mjs");
  await copyFile(await bundleExecutable("plugins/comparch/main.ts", "comparch-plugin"), plugin);
  const ocm = (...args: string[]) => cli("--plugin-dir", pluginDir, ...args);
  const ok = async (...args: string[]) => {
    const result = await ocm(...args);
    expect(result.stderr, `ocm ${args.join(" ")}`).toBe("");
    expect(result.exitCode, `ocm ${args.join(" ")}`).toBe(0);
    return result.stdout;
  };
  const digest = async (ref: string) => JSON.parse(await ok("hash", "cv", ref, "-o", "json")) as unknown;
  return { cli, ocm, ok, digest, work, plugin };
}

describe("Component Archives through the comparch plugin (#14)", () => {
  it("reads the Go tool's legacy archives: get cv, get resources, download with the fixture's bytes (#14)", async () => {
    const { ok, work } = await setup();
    const common = `ca::${join(LEGACY, "common")}//example.com/root:1.0.0`;
    expect(await ok("get", "cv", common)).toMatch(/example\.com\/root\s+1\.0\.0\s+internal/);
    // localFilesystemBlob (fileName) is served as the localBlob it means.
    expect(await ok("get", "resources", common)).toMatch(/test\s+1\.0\.0\s+PlainText\s+local\s+localBlob/);
    await ok("download", "resource", common, "test", "-O", join(work, "common.bin"));
    expect(await readFile(join(work, "common.bin"))).toEqual(
      await readFile(join(LEGACY, "common/blobs", LEGACY_BLOB)),
    );

    // `filename` naming a directory under blobs/: served as a tar of that directory, as the Go tool does.
    const directory = `ComponentArchive::${join(LEGACY, "directory")}//example.com/root:1.0.0`;
    await ok("download", "resource", directory, "test", "-O", join(work, "dir.tar"));
    const { stdout } = await execa("tar", ["-xOf", join(work, "dir.tar"), "testfile"]);
    expect(stdout).toBe((await readFile(join(LEGACY, "directory/blobs/root/testfile"), "utf8")).trimEnd());

    const gardener = await ok("get", "cv", `comparch::${join(LEGACY, "descriptor")}`, "-o", "yaml");
    expect(gardener).toContain("name: github.com/gardener/gardener");
    expect(gardener).toContain("localReference: anydigest");
  });

  it("verifies the Go-signed archive with rsa.pub, and fails naming the resource after a blob is tampered with (#14)", async () => {
    const { ocm, ok, work } = await setup();
    const verify = (path: string) =>
      ocm(
        "verify",
        "cv",
        `ca::${path}//${SIGNED}`,
        "--signature",
        "test",
        "--public-key",
        join(SIGNED_DIR, "rsa.pub"),
      );
    const good = await verify(join(SIGNED_DIR, "component-archive"));
    expect(good.stderr).toBe("");
    expect(good.exitCode).toBe(0);
    expect(good.stdout).toMatch(/resource text\s+ok/);
    await ok(
      "download",
      "resource",
      `ca::${join(SIGNED_DIR, "component-archive")}//${SIGNED}`,
      "text",
      "-O",
      join(work, "text"),
    );
    expect(await readFile(join(work, "text"), "utf8")).toBe("this is test data");

    const tampered = join(work, "tampered");
    await cp(join(SIGNED_DIR, "component-archive"), tampered, { recursive: true });
    await writeFile(join(tampered, "blobs", SIGNED_BLOB), "this is evil data");
    const bad = await verify(tampered);
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toMatch(/resource text\s+FAILED/);
    expect(bad.stderr).toContain("resource text of github.com/mandelsoft/test:1.0.0");
    expect(bad.stderr).toContain("OCM_SIGNING_BLOB_DIGEST_MISMATCH");
  });

  it("transfers archive → CTF → archive (tgz and directory) with the same digest and a valid signature (#14)", async () => {
    const { ok, digest, work } = await setup();
    const source = `ca::${join(SIGNED_DIR, "component-archive")}//${SIGNED}`;
    const ctf = join(work, "ctf");
    await ok("transfer", "cv", "-q", source, ctf);
    await ok("transfer", "cv", "-q", `${ctf}//${SIGNED}`, `ca::${join(work, "copy.tgz")}`);
    await ok("transfer", "cv", "-q", `${ctf}//${SIGNED}`, `ca::${join(work, "copy")}`);
    const expected = await digest(source);
    expect(await digest(`${ctf}//${SIGNED}`)).toEqual(expected);
    for (const copy of ["copy.tgz", "copy"]) {
      const ref = `ca::${join(work, copy)}//${SIGNED}`;
      expect(await digest(ref)).toEqual(expected);
      const verified = await ok(
        "verify",
        "cv",
        ref,
        "--signature",
        "test",
        "--public-key",
        join(SIGNED_DIR, "rsa.pub"),
      );
      expect(verified).toMatch(/signature test\s+ok/);
    }
    // Laid out as the Go tool lays out an archive: the descriptor, then blobs/sha256.<hex>.
    const { stdout } = await execa("tar", ["-tzf", join(work, "copy.tgz")]);
    expect(stdout.split("\n")).toEqual(["component-descriptor.yaml", "blobs/", `blobs/${SIGNED_BLOB}`]);
    expect((await readdir(join(work, "copy"))).sort()).toEqual(["blobs", "component-descriptor.yaml"]);
    expect(await readFile(join(work, "copy/blobs", SIGNED_BLOB), "utf8")).toBe("this is test data");
  });

  it("refuses to write a second component version into an archive, leaving it as it was (#14)", async () => {
    const { ocm, ok, work } = await setup();
    const archive = join(work, "one.tar");
    await ok(
      "transfer",
      "cv",
      "-q",
      `ca::${join(SIGNED_DIR, "component-archive")}//${SIGNED}`,
      `ca::${archive}`,
    );
    const before = await readFile(archive);
    const second = await ocm(
      "transfer",
      "cv",
      "-q",
      `ca::${join(LEGACY, "common")}//example.com/root:1.0.0`,
      `ca::${archive}`,
    );
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toContain("OCM_REPOSITORY_SINGLE_VERSION");
    expect(second.stderr).toContain(`holds ${SIGNED}; it cannot also hold example.com/root:1.0.0`);
    expect((await readFile(archive)).equals(before)).toBe(true);
  });

  it.each(["tar", "tgz"] as const)(
    "refuses a %s archive holding a symbolic link, reading nothing through it (#14)",
    async (format) => {
      const { ocm, work } = await setup();
      const archive = join(work, `hostile.${format}`);
      const descriptor = await readFile(join(SIGNED_DIR, "component-archive/component-descriptor.yaml"));
      await writeFile(
        archive,
        tarOf(
          [
            file("component-descriptor.yaml", descriptor),
            dir("blobs"),
            symlink(`blobs/${SIGNED_BLOB}`, "/etc/passwd"),
          ],
          format === "tgz",
        ),
      );
      const result = await ocm(
        "download",
        "resource",
        `ca::${archive}//${SIGNED}`,
        "text",
        "-O",
        join(work, "out"),
      );
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain("OCM_ARCHIVE_UNSAFE_ENTRY");
      expect(result.stderr).toContain(`"blobs/${SIGNED_BLOB}" is a symbolic link to "/etc/passwd"`);
      expect(await readdir(work)).not.toContain("out");
    },
  );

  it("passes ocm plugin verify as an executable (#14)", async () => {
    const { cli, plugin } = await setup();
    const result = await cli("plugin", "verify", plugin);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("comparch 0.1.0");
  });
});
