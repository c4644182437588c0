// The installable `npm` plugin (#14 item 3), run as an executable in a plugin directory and driven through
// `ocm` against a real npm registry (Verdaccio) on a loopback port, with packages published by `npm publish`.
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ocmCli } from "../../helpers/cli.js";
import { REPO_ROOT, bundleExecutable } from "../../helpers/executables.js";
import { useTempDir } from "../../helpers/temp-dir.js";
import { startVerdaccio, type Verdaccio } from "../../helpers/verdaccio.js";

const KEYS = join(REPO_ROOT, "test/fixtures/signing");
const COMPONENT = "acme.org/packages";
const hash = (algorithm: string, bytes: Buffer, encoding: "hex" | "base64" = "hex") =>
  createHash(algorithm).update(bytes).digest(encoding);

let registry: Verdaccio;
let registryDir: string;

/** Publishes `name@version` with a random payload file of `size` bytes. */
async function publish(name: string, version: string, size: number): Promise<void> {
  const dir = join(registryDir, "src", name.replace("/", "+"));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "package.json"), JSON.stringify({ name, version, files: ["payload.bin"] }));
  await writeFile(join(dir, "payload.bin"), randomBytes(size));
  await registry.publish(dir);
}

/** The tarball of `name@version` and its dist, straight from the registry. */
async function tarballOf(name: string, version: string) {
  const packument = (await (await fetch(`${registry.url}/${name.replace("/", "%2f")}`)).json()) as {
    versions: Record<string, { dist: { tarball: string; integrity: string } }>;
  };
  const dist = packument.versions[version]?.dist;
  if (!dist) throw new Error(`${name}@${version} is not published`);
  return { dist, bytes: Buffer.from(await (await fetch(dist.tarball)).arrayBuffer()) };
}

beforeAll(async () => {
  registryDir = await mkdtemp(join(tmpdir(), "ocm-ts-verdaccio-"));
  registry = await startVerdaccio(registryDir);
  await publish("@acme/widget", "1.0.0", 200_000);
  await publish("plain-lib", "2.1.0", 5_000);
  await publish("tampered-lib", "1.0.0", 5_000);
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  await rm(registryDir, { recursive: true, force: true });
});

const npmResource = (name: string, type: string, pkg: string, version: string) =>
  [
    `      - name: ${name}`,
    "        type: npmPackage",
    "        access:",
    `          type: ${type}`,
    `          registry: ${registry.url}`,
    `          package: "${pkg}"`,
    `          version: ${version}`,
  ].join("\n");

async function setup(resources: string[]) {
  const cli = await ocmCli();
  const plugins = join(cli.home, "plugins");
  await mkdir(plugins, { recursive: true });
  await copyFile(await bundleExecutable("plugins/npm/main.ts", "npm"), join(plugins, "npm"));
  await chmod(join(plugins, "npm"), 0o755);
  const ocm = (...args: string[]) => cli("--plugin-dir", plugins, ...args);
  const dir = await useTempDir();
  const constructor = join(dir, "constructor.yaml");
  await writeFile(
    constructor,
    [
      "components:",
      `  - name: ${COMPONENT}`,
      "    version: 1.0.0",
      "    provider:",
      "      name: acme.org",
      "    resources:",
      ...resources,
      "",
    ].join("\n"),
  );
  const ctf = join(dir, "ctf");
  const added = await ocm("add", "cv", "--create", "--repository", ctf, "--constructor", constructor);
  const ref = `${ctf}//${COMPONENT}:1.0.0`;
  const download = async (name: string, at = ref, run = ocm) => {
    const out = join(dir, `${name}-${randomBytes(4).toString("hex")}.tgz`);
    const result = await run("download", "resource", at, name, "-O", out);
    return { ...result, bytes: existsSync(out) ? await readFile(out) : undefined };
  };
  return { cli, ocm, plugins, dir, added, ref, download };
}

describe("the npm access plugin", () => {
  it("downloads npm resources as the tarballs the registry serves: a scoped name looked up as @scope%2fname, bytes checked against dist.integrity (#14)", async () => {
    const { added, ocm, ref, download } = await setup([
      npmResource("widget", "npm", "@acme/widget", "1.0.0"),
      npmResource("plain", "NPM/v1", "plain-lib", "2.1.0"),
    ]);
    expect(added.stderr).toBe("");
    expect(added.exitCode).toBe(0);
    const listed = JSON.parse((await ocm("get", "cv", ref, "-o", "json")).stdout) as {
      component: { resources: { name: string; relation: string; access: unknown }[] };
    };
    expect(listed.component.resources[0]).toMatchObject({
      relation: "external",
      access: { type: "npm", registry: registry.url, package: "@acme/widget", version: "1.0.0" },
    });
    for (const [name, pkg, version] of [
      ["widget", "@acme/widget", "1.0.0"],
      ["plain", "plain-lib", "2.1.0"],
    ] as const) {
      const { dist, bytes } = await tarballOf(pkg, version);
      const got = await download(name);
      expect(got.stderr).toBe("");
      expect(got.exitCode).toBe(0);
      expect(got.bytes?.equals(bytes)).toBe(true);
      expect(`sha512-${hash("sha512", got.bytes ?? Buffer.alloc(0), "base64")}`).toBe(dist.integrity);
    }
  });

  it("signs and verifies npm resources by their tarball bytes and copies them by value with transfer --copy-resources into application/x-tgz local blobs that verify without the plugin (#14)", async () => {
    const { cli, ocm, dir, ref, download } = await setup([
      npmResource("widget", "npm", "@acme/widget", "1.0.0"),
    ]);
    const signed = await ocm(
      "sign",
      "cv",
      ref,
      "--signature",
      "acme",
      "--private-key",
      join(KEYS, "signer.rsa.key"),
    );
    expect(signed.stderr).toBe("");
    expect(signed.exitCode).toBe(0);
    const { bytes } = await tarballOf("@acme/widget", "1.0.0");
    const target = join(dir, "target");
    const transferred = await ocm("transfer", "cv", ref, target, "--copy-resources");
    expect(transferred.stderr).toBe("");
    expect(transferred.exitCode).toBe(0);

    const copyRef = `${target}//${COMPONENT}:1.0.0`;
    const copied = JSON.parse((await cli("get", "cv", copyRef, "-o", "json")).stdout) as {
      component: { resources: { access: Record<string, unknown>; digest: unknown }[] };
    };
    expect(copied.component.resources[0]?.access).toMatchObject({
      type: "localBlob",
      mediaType: "application/x-tgz",
      globalAccess: { type: "npm", package: "@acme/widget", version: "1.0.0" },
    });
    expect(copied.component.resources[0]?.digest).toEqual({
      hashAlgorithm: "SHA-256",
      normalisationAlgorithm: "genericBlobDigest/v1",
      value: hash("sha256", bytes),
    });
    // `cli` runs ocm without the plugin directory: the copy needs neither the plugin nor the registry.
    expect((await download("widget", copyRef, cli)).bytes?.equals(bytes)).toBe(true);
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

  it("fails download and verify of a tarball whose bytes no longer match the registry's dist.integrity, naming both hashes, with nothing written (#14)", async () => {
    const { ocm, ref, download } = await setup([npmResource("lib", "npm", "tampered-lib", "1.0.0")]);
    const { dist } = await tarballOf("tampered-lib", "1.0.0");
    const signed = await ocm(
      "sign",
      "cv",
      ref,
      "--signature",
      "acme",
      "--private-key",
      join(KEYS, "signer.rsa.key"),
    );
    expect(signed.exitCode).toBe(0);
    await writeFile(
      join(registry.storage, "tampered-lib", "tampered-lib-1.0.0.tgz"),
      "not the published tarball",
    );
    const got = await download("lib");
    expect(got.exitCode).toBe(1);
    expect(got.stderr).toContain(
      `Error: npm tarball of tampered-lib@1.0.0 (${registry.url}/tampered-lib/-/tampered-lib-1.0.0.tgz) has sha512-`,
    );
    expect(got.stderr).toContain(`the registry says ${dist.integrity}`);
    expect(got.stderr).toContain("Code: OCM_REPOSITORY_DIGEST_MISMATCH");
    expect(got.bytes).toBeUndefined();
    const verified = await ocm(
      "verify",
      "cv",
      ref,
      "--signature",
      "acme",
      "--public-key",
      join(KEYS, "signer.rsa.pub"),
    );
    expect(verified.exitCode).toBe(1);
    expect(verified.stderr).toContain(
      `resource lib of ${COMPONENT}:1.0.0: npm tarball of tampered-lib@1.0.0`,
    );
    expect(verified.stderr).toContain("Code: OCM_SIGNING_BLOB_DIGEST_MISMATCH");
  });

  it("reports an unpublished version with the published ones, and an unknown package as not found with its URL (#14)", async () => {
    const { download } = await setup([
      npmResource("later", "npm", "plain-lib", "9.9.9"),
      npmResource("ghost", "npm", "@acme/ghost", "1.0.0"),
    ]);
    const later = await download("later");
    expect(later.exitCode).toBe(1);
    expect(later.stderr).toContain(
      `Error: npm package plain-lib in 127.0.0.1:${new URL(registry.url).port} has no version 9.9.9`,
    );
    expect(later.stderr).toContain("Code: OCM_ACCESS_NOT_FOUND");
    expect(later.stderr).toContain("Try: Use a published version, e.g. 2.1.0.");
    const ghost = await download("ghost");
    expect(ghost.exitCode).toBe(1);
    expect(ghost.stderr).toContain(
      `Error: npm packument of @acme/ghost: GET ${registry.url}/@acme%2fghost: HTTP 404`,
    );
    expect(ghost.stderr).toContain("Code: OCM_ACCESS_NOT_FOUND");
  });

  it("names the npm plugin and the command to install it when an npm resource is used without it (#14)", async () => {
    const { cli, download } = await setup([npmResource("plain", "NPM/v1", "plain-lib", "2.1.0")]);
    const got = await download("plain", undefined, cli);
    expect(got.exitCode).toBe(1);
    expect(got.stderr).toContain('no plugin offers resourceRepository for type "NPM/v1"');
    expect(got.stderr).toContain("ocm plugin install <repository>//ocm.software/plugins/npm");
  });

  it("passes ocm plugin verify (#14)", async () => {
    const { cli, plugins } = await setup([]);
    const verified = await cli("plugin", "verify", join(plugins, "npm"), "-o", "json");
    const report = JSON.parse(verified.stdout) as { checks: { name: string; status: string }[] };
    expect(report.checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(report.checks.map((c) => c.name)).toContain("malformed resourceRepository NPM/v1");
  });
});
