// `ocm create rsakeypair` as a user runs it: the files and their modes, the Go tool's names, no silent
// overwrite, and keys that `ocm sign cv` and `ocm verify cv` accept (#16).
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SIGNED_CONSTRUCTOR } from "../fixtures/signing/signed-constructor.js";
import { ocmCli } from "../helpers/cli.js";

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe("ocm create rsakeypair", () => {
  it("writes <name> (PEM, mode 0600) and <name>.pub, and the pair signs and verifies a component version in a CTF (#16)", async () => {
    const ocm = await ocmCli();
    const created = await ocm("create", "rsakeypair", "acme");
    expect(created.stderr).toBe("");
    expect(created.exitCode).toBe(0);
    expect(created.stdout).toContain("private key acme (mode 0600), public key acme.pub");
    const privateKey = join(ocm.home, "acme");
    const publicKey = join(ocm.home, "acme.pub");
    expect(await readFile(privateKey, "utf8")).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(await readFile(publicKey, "utf8")).toMatch(/^-----BEGIN RSA PUBLIC KEY-----\n/);
    expect(await mode(privateKey)).toBe(0o600);

    await writeFile(join(ocm.home, "notes.txt"), "release notes\n");
    await writeFile(join(ocm.home, "constructor.yaml"), SIGNED_CONSTRUCTOR);
    const ctf = join(ocm.home, "ctf");
    expect(
      (await ocm("add", "cv", "--create", "--repository", ctf, "--constructor", "constructor.yaml")).exitCode,
    ).toBe(0);
    const ref = `${ctf}//acme.org/signed:1.0.0`;
    const signed = await ocm("sign", "cv", ref, "--signature", "acme", "--private-key", "acme");
    expect(signed.stderr).toBe("");
    expect(signed.exitCode).toBe(0);
    const verified = await ocm("verify", "cv", ref, "--signature", "acme", "--public-key", "acme.pub");
    expect(verified.stderr).toBe("");
    expect(verified.exitCode).toBe(0);

    // Another pair does not verify what the first signed.
    expect((await ocm("create", "rsakeypair", "other.priv")).stdout).toContain(
      "private key other.priv (mode 0600), public key other.pub",
    );
    const wrong = await ocm("verify", "cv", ref, "--signature", "acme", "--public-key", "other.pub");
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toContain("Code: OCM_SIGNING_SIGNATURE_INVALID");
  }, 60_000);

  it("refuses to overwrite an existing key file, writing neither file, unless --force is given (#16)", async () => {
    const ocm = await ocmCli();
    await writeFile(join(ocm.home, "acme.pub"), "keep me\n");
    const refused = await ocm("create", "rsakeypair", "acme");
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("Error: acme.pub already exists; no key was written");
    expect(refused.stderr).toContain("Code: OCM_SIGNING_KEY_EXISTS");
    expect(refused.stderr).toContain("--force");
    expect(await readFile(join(ocm.home, "acme.pub"), "utf8")).toBe("keep me\n");
    await expect(stat(join(ocm.home, "acme"))).rejects.toMatchObject({ code: "ENOENT" });

    const forced = await ocm("create", "rsakeypair", "acme", "--force");
    expect(forced.exitCode).toBe(0);
    expect(await readFile(join(ocm.home, "acme.pub"), "utf8")).toMatch(/^-----BEGIN RSA PUBLIC KEY-----/);
    expect(await mode(join(ocm.home, "acme"))).toBe(0o600);

    const json = await ocm("create", "rsakeypair", "-o", "json");
    expect(JSON.parse(json.stdout)).toEqual({
      privateKeyPath: "rsa.priv",
      publicKeyPath: "rsa.pub",
      bits: 2048,
    });
    expect(await mode(join(ocm.home, "rsa.priv"))).toBe(0o600);
  }, 60_000);
});
