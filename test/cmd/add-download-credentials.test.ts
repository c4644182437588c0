// Conflicts when adding, downloading every resource, and which credentials a registry would get (#16),
// on CTFs on disk and a real registry, through the bundled CLI.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ocmCli } from "../helpers/cli.js";
import { startRegistry, type RunningRegistry } from "../helpers/registry.js";
import { useTempDir } from "../helpers/temp-dir.js";

type Cli = Awaited<ReturnType<typeof ocmCli>>;

let registry: RunningRegistry;
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.stop();
});

/** A constructor for acme.org/app:1.0.0 whose readme says `text`, plus resources with unsafe names. */
const constructor = (text: string) => `components:
  - name: acme.org/app
    version: 1.0.0
    provider: acme.org
    resources:
      - name: readme
        type: plainText
        input: {type: utf8, text: "${text}", mediaType: text/plain}
      - name: data
        type: blob
        extraIdentity: {os: linux}
        input: {type: binary, data: AAECAw==}
      - name: data
        type: blob
        extraIdentity: {os: ../../etc}
        input: {type: binary, data: BAUG}
      - name: image
        type: ociImage
        version: 1.0.0
        access: {type: ociArtifact, imageReference: ghcr.io/acme/app:1.0.0}
`;

async function addTo(ocm: Cli, repository: string, text: string, ...flags: string[]) {
  const dir = await useTempDir();
  await writeFile(join(dir, "c.yaml"), constructor(text));
  return ocm(
    "add",
    "cv",
    "--create",
    "--repository",
    repository,
    "--constructor",
    join(dir, "c.yaml"),
    ...flags,
  );
}

async function readme(ocm: Cli, repository: string): Promise<string> {
  const out = join(await useTempDir(), "readme.txt");
  const result = await ocm("download", "resource", `${repository}//acme.org/app:1.0.0`, "readme", "-O", out);
  expect(result.stderr).toBe("");
  return readFile(out, "utf8");
}

describe("ocm add cv --on-existing (#16)", () => {
  for (const where of ["ctf", "registry"] as const) {
    it(`fails by default, skips or replaces an existing version in a ${where} (#16)`, async () => {
      const ocm = await ocmCli();
      const repository =
        where === "ctf" ? join(await useTempDir(), "ctf.tgz") : `${registry.host}/add-${Date.now()}`;
      expect((await addTo(ocm, repository, "one")).exitCode).toBe(0);

      const again = await addTo(ocm, repository, "two");
      expect(again.exitCode).toBe(1);
      expect(again.stderr).toContain("already holds acme.org/app:1.0.0; nothing was written");
      expect(again.stderr).toContain("Code: OCM_REPOSITORY_VERSION_EXISTS");
      expect(again.stderr).toContain(
        "Try: Pass --on-existing skip to keep it, --on-existing replace to replace it",
      );

      const skipped = await addTo(ocm, repository, "two", "--on-existing", "skip");
      expect(skipped.stderr).toBe("");
      expect(skipped.stdout).toMatch(/acme\.org\/app\s+1\.0\.0\s+0\s+0\s+skipped/);
      expect(await readme(ocm, repository)).toBe("one");

      const replaced = await addTo(ocm, repository, "two", "--on-existing", "replace");
      expect(replaced.stderr).toBe("");
      expect(replaced.stdout).toMatch(/acme\.org\/app\s+1\.0\.0\s+4\s+\d+\s+replaced/);
      expect(await readme(ocm, repository)).toBe("two");
      // The blobs the new version shares with the old one are still there.
      const data = join(await useTempDir(), "data");
      const shared = await ocm(
        "download",
        "resource",
        `${repository}//acme.org/app:1.0.0`,
        "--identity",
        "name=data,os=linux",
        "-O",
        data,
      );
      expect(shared.stderr).toBe("");
      expect([...(await readFile(data))]).toEqual([0, 1, 2, 3]);
    });
  }

  it("refuses an unknown --on-existing value, listing the choices (#16)", async () => {
    const ocm = await ocmCli();
    const result = await addTo(ocm, join(await useTempDir(), "ctf"), "x", "--on-existing", "merge");
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Allowed choices are fail, skip, replace");
  });
});

describe("ocm download resources -O <dir> (#16)", () => {
  for (const where of ["ctf", "registry"] as const) {
    it(`writes every resource with content from a ${where} into the directory under safe, distinct names (#16)`, async () => {
      const ocm = await ocmCli();
      const repository =
        where === "ctf" ? join(await useTempDir(), "ctf") : `${registry.host}/download-${Date.now()}`;
      expect((await addTo(ocm, repository, "hello")).exitCode).toBe(0);
      const dir = join(await useTempDir(), "out");
      const result = await ocm(
        "download",
        "resources",
        `${repository}//acme.org/app:1.0.0`,
        "--type",
        "blob",
        "-O",
        dir,
      );
      expect(result.stderr).toBe("");
      expect((await readdir(dir)).sort()).toEqual(["data-.._.._etc", "data-linux"]);
      expect([...(await readFile(join(dir, "data-linux")))]).toEqual([0, 1, 2, 3]);
      expect(result.stdout).toContain(`${join(dir, "data-linux")}: 4 bytes`);
    });
  }

  it("names the types there for an unknown --type, and what to drop for a name with --type (#16)", async () => {
    const ocm = await ocmCli();
    const ctf = join(await useTempDir(), "ctf");
    expect((await addTo(ocm, ctf, "hello")).exitCode).toBe(0);
    const dir = join(await useTempDir(), "all");
    await mkdir(dir);
    const wrongType = await ocm(
      "download",
      "resources",
      `${ctf}//acme.org/app:1.0.0`,
      "--type",
      "helm",
      "-O",
      dir,
    );
    expect(wrongType.exitCode).toBe(1);
    expect(wrongType.stderr).toContain("Try: Resource types there: plainText, blob, ociImage.");

    const both = await ocm(
      "download",
      "resources",
      `${ctf}//acme.org/app:1.0.0`,
      "readme",
      "--type",
      "blob",
      "-O",
      dir,
    );
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain("Try: Drop --type to download the named resource");
  });
});

describe("ocm get credentials (#16)", () => {
  it("names the docker config entry a registry would get, the password masked (#16)", async () => {
    const ocm = await ocmCli();
    await mkdir(join(ocm.home, ".docker"));
    const auth = Buffer.from("bob:s3cret-value").toString("base64");
    await writeFile(
      join(ocm.home, ".docker", "config.json"),
      JSON.stringify({ auths: { [registry.host]: { auth } } }),
    );
    const table = await ocm("get", "credentials", `${registry.host}/acme`);
    expect(table.stderr).toBe("");
    const [host, port] = registry.host.split(":");
    expect(table.stdout).toContain(
      `consumer: type=OCIRegistry,hostname=${host},port=${port},pathprefix=acme`,
    );
    expect(table.stdout).toContain(`source:   docker config ${join(ocm.home, ".docker", "config.json")}`);
    expect(table.stdout).toMatch(/username\s+bob\npassword\s+\*\*\*/);
    expect(table.stdout).not.toContain("s3cret");

    const json = await ocm("get", "credentials", `${registry.host}/acme`, "-o", "json");
    expect(JSON.parse(json.stdout)).toMatchObject({
      // The default source of OCI registry credentials, asked with the identity's own type (#12).
      source: { kind: "default", type: "OCIRegistry" },
      properties: { username: "bob", password: "***" },
    });
    // The registry itself is reachable with those (ignored) credentials.
    expect((await ocm("get", "cv", `${registry.host}/acme//acme.org/none`)).stderr).toContain(
      "OCM_REPOSITORY_NOT_FOUND",
    );
  });

  it("prefers the ocm config's consumer over docker's config and says which one answered (#16)", async () => {
    const ocm = await ocmCli();
    await writeFile(
      join(ocm.home, ".ocmconfig"),
      "type: credentials.config.ocm.software\nconsumers:\n" +
        "  - identity: {type: OCIRegistry, hostname: ghcr.io}\n" +
        "    credentials: [{type: Credentials/v1, properties: {username: al, password: pw-secret, token: t-secret}}]\n",
    );
    const result = await ocm("get", "credentials", "type=OCIRegistry,hostname=ghcr.io,pathprefix=acme");
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("consumer 1 (Credentials/v1)");
    expect(result.stdout).toMatch(/password\s+\*\*\*/);
    expect(result.stdout).toMatch(/token\s+\*\*\*/);
    expect(result.stdout).not.toContain("secret");

    const none = await ocm("get", "credentials", "quay.io/acme");
    expect(none.stdout).toContain("source:   none (no credentials; access is anonymous)");
  });

  it("refuses a CTF, naming what to write instead (#16)", async () => {
    const ocm = await ocmCli();
    const result = await ocm("get", "credentials", "./archive");
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("which needs no credentials");
    expect(result.stderr).toContain("Try: Name a registry (ghcr.io/acme) or a consumer identity");
  });
});
