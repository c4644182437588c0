// Signing as a user does it: `ocm add cv` into a CTF, `ocm sign cv`, `ocm verify cv`; then each way a signed
// component version can go bad (a changed blob, a changed descriptor, the wrong key, no such signature,
// a malformed key file) gives its own error code.
import { readFile, readdir, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { createPluginManager } from "../../index.js";
import type { ComponentDescriptor } from "../../core/model/index.js";
import type { TypedSpec } from "../../core/index.js";
import { SIGNED_CONSTRUCTOR } from "../fixtures/signing/signed-constructor.js";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const KEYS = join(REPO_ROOT, "test/fixtures/signing");

async function setup() {
  const home = await useTempDir();
  const ocm = await bundleExecutable("cmd/ocm.ts", "ocm");
  const run = (...args: string[]) =>
    execa(ocm, args, {
      reject: false,
      cwd: home,
      env: { HOME: home, XDG_CACHE_HOME: join(home, "cache"), OCM_PLUGIN_DIR: "" },
    });
  const dir = await useTempDir();
  await writeFile(join(dir, "notes.txt"), "release notes\n");
  await writeFile(join(dir, "constructor.yaml"), SIGNED_CONSTRUCTOR);
  const ctf = join(dir, "ctf");
  const added = await run(
    "add",
    "cv",
    "--create",
    "--repository",
    ctf,
    "--constructor",
    join(dir, "constructor.yaml"),
  );
  expect(added.stderr).toBe("");
  const ref = `${ctf}//acme.org/signed:1.0.0`;
  return { run, ctf, ref, home, dir };
}

const key = (name: string) => join(KEYS, name);

/** Rewrites a stored descriptor through the CTF plugin, as a party with write access to the repository could. */
async function rewriteDescriptor(home: string, ctf: string, change: (cd: ComponentDescriptor) => void) {
  const manager = createPluginManager({
    home,
    cacheFile: false,
    handleSignals: false,
    env: { OCM_PLUGIN_DIR: "" },
  });
  try {
    const repository: TypedSpec = { type: "CommonTransportFormat/v1", filePath: ctf };
    const repo = await manager.getPlugin(repository.type, "componentVersionRepository");
    const { descriptor } = await repo.getComponentVersion({
      repository,
      component: "acme.org/signed",
      version: "1.0.0",
    });
    change(descriptor as unknown as ComponentDescriptor);
    await repo.addComponentVersion({ repository, descriptor, overwrite: true });
  } finally {
    await manager.close();
  }
}

describe("ocm sign cv and ocm verify cv", () => {
  it("signs with RSASSA-PSS by default, stores the signature and verifies every digest from the content", async () => {
    const { run, ref } = await setup();
    const signed = await run(
      "sign",
      "cv",
      ref,
      "--signature",
      "acme",
      "--private-key",
      key("signer.rsa.key"),
      "-o",
      "json",
    );
    expect(signed.stderr).toBe("");
    expect(signed.exitCode).toBe(0);
    const { signature } = JSON.parse(signed.stdout) as {
      signature: { digest: { value: string }; signature: { algorithm: string; mediaType: string } };
    };
    expect(signature.signature).toMatchObject({
      algorithm: "RSASSA-PSS",
      mediaType: "application/vnd.ocm.signature.rsa.pss",
    });

    const hash = await run("hash", "cv", ref, "-o", "json");
    expect(hash.stdout).toContain(signature.digest.value);
    const stored = JSON.parse((await run("get", "cv", ref, "-o", "json")).stdout) as ComponentDescriptor;
    expect(stored.signatures?.map((s) => s.name)).toEqual(["acme"]);
    expect(stored.component.componentReferences[0]?.digest?.normalisationAlgorithm).toBe(
      "jsonNormalisation/v3",
    );

    const verified = await run(
      "verify",
      "cv",
      ref,
      "--signature",
      "acme",
      "--public-key",
      key("signer.pkix.pub"),
      "-r",
      "-o",
      "json",
    );
    expect(verified.stderr).toBe("");
    expect(verified.exitCode).toBe(0);
    const report = JSON.parse(verified.stdout) as {
      ok: boolean;
      checks: { kind: string; subject: string; ok: boolean }[];
    };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => `${c.kind} ${c.subject}`)).toEqual([
      "signature acme.org/signed:1.0.0 signature acme",
      "descriptor acme.org/signed:1.0.0 descriptor",
      "resource acme.org/signed:1.0.0 resource notes",
      "resource acme.org/signed:1.0.0 resource greeting[language=en]",
      "reference acme.org/signed:1.0.0 reference lib (acme.org/lib:1.0.0)",
      "resource acme.org/lib:1.0.0 resource data",
    ]);
  });

  it("adds a second signature with RSASSA-PKCS1-V1_5 beside the first, and the PKCS#1 public key verifies it", async () => {
    const { run, ref } = await setup();
    await run("sign", "cv", ref, "-s", "first", "-K", key("signer.pkcs8.key"));
    const second = await run(
      "sign",
      "cv",
      ref,
      "-s",
      "second",
      "-K",
      key("signer.rsa.key"),
      "--algorithm",
      "RSASSA-PKCS1-V1_5",
    );
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toMatch(/acme\.org\/signed\s+1\.0\.0\s+second\s+RSASSA-PKCS1-V1_5\s+[0-9a-f]{64}/);
    for (const name of ["first", "second"]) {
      const verified = await run("verify", "cv", ref, "-s", name, "-k", key("signer.rsa.pub"));
      expect(verified.exitCode, verified.stderr).toBe(0);
    }
  });

  it("signs with a certificate chain and verifies against the root CA alone", async () => {
    const { run, ref } = await setup();
    const signed = await run(
      "sign",
      "cv",
      ref,
      "-s",
      "acme",
      "-K",
      key("signer.rsa.key"),
      "--certificate",
      key("signer-chain.pem"),
      "--ca",
      key("ca.crt"),
    );
    expect(signed.stderr).toBe("");
    expect((await run("verify", "cv", ref, "-s", "acme", "--ca", key("ca.crt"))).exitCode).toBe(0);
    const untrusted = await run("verify", "cv", ref, "-s", "acme", "--ca", key("other-ca.crt"));
    expect(untrusted.exitCode).toBe(1);
    expect(untrusted.stderr).toContain("Code: OCM_SIGNING_CERTIFICATE_UNTRUSTED");
  });
});

describe("content no plugin can read", () => {
  it("refuses to sign a resource whose access no plugin can read, naming the resource", async () => {
    const { run, dir } = await setup();
    const ctf = join(dir, "helm");
    const constructor = join(dir, "helm-constructor.yaml");
    await writeFile(
      constructor,
      "components:\n  - name: acme.org/chart\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n" +
        "      - name: chart\n        type: helmChart\n        version: 1.0.0\n" +
        "        access: {type: helm, helmRepository: https://charts.example.org, helmChart: chart:1.0.0}\n",
    );
    expect(
      (await run("add", "cv", "--create", "--repository", ctf, "--constructor", constructor)).exitCode,
    ).toBe(0);
    const signed = await run(
      "sign",
      "cv",
      `${ctf}//acme.org/chart:1.0.0`,
      "-s",
      "acme",
      "-K",
      key("signer.rsa.key"),
    );
    expect(signed.exitCode).toBe(1);
    expect(signed.stderr).toContain(
      "resource chart of acme.org/chart:1.0.0: no plugin reads access type helm",
    );
    expect(signed.stderr).toContain("Code: OCM_SIGNING_DIGEST_UNSUPPORTED");
  });
});

describe("a signed component version gone bad", () => {
  it("reports a changed blob as OCM_SIGNING_BLOB_DIGEST_MISMATCH", async () => {
    const { run, ref, ctf } = await setup();
    await run("sign", "cv", ref, "-s", "acme", "-K", key("signer.rsa.key"));
    const notes = (await readdir(join(ctf, "blobs"))).filter((f) => f.startsWith("sha256."));
    for (const blob of notes) {
      if ((await readFile(join(ctf, "blobs", blob), "utf8")) === "release notes\n")
        await writeFile(join(ctf, "blobs", blob), "release notez\n");
    }
    const result = await run("verify", "cv", ref, "-s", "acme", "-k", key("signer.pkix.pub"));
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/resource\s+acme\.org\/signed:1\.0\.0 resource notes\s+FAILED/);
    expect(result.stderr).toContain("Code: OCM_SIGNING_BLOB_DIGEST_MISMATCH");
  });

  it("reports a changed signed descriptor field as OCM_SIGNING_DESCRIPTOR_DIGEST_MISMATCH", async () => {
    const { run, ref, ctf, home } = await setup();
    await run("sign", "cv", ref, "-s", "acme", "-K", key("signer.rsa.key"));
    await rewriteDescriptor(home, ctf, (cd) => {
      (cd.component.labels as { value: unknown }[])[0]!.value = false;
    });
    const result = await run("verify", "cv", ref, "-s", "acme", "-k", key("signer.pkix.pub"));
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/signature\s+\S+ signature acme\s+ok/);
    expect(result.stdout).toMatch(/descriptor\s+\S+ descriptor\s+FAILED/);
    expect(result.stderr).toContain("Code: OCM_SIGNING_DESCRIPTOR_DIGEST_MISMATCH");
  });

  it("reports the wrong public key as OCM_SIGNING_SIGNATURE_INVALID", async () => {
    const { run, ref } = await setup();
    await run("sign", "cv", ref, "-s", "acme", "-K", key("signer.rsa.key"));
    const result = await run("verify", "cv", ref, "-s", "acme", "-k", key("other.pkix.pub"));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("does not verify with the given key");
    expect(result.stderr).toContain("Code: OCM_SIGNING_SIGNATURE_INVALID");
  });

  it("reports an unknown signature name as OCM_SIGNING_SIGNATURE_NOT_FOUND and lists the names", async () => {
    const { run, ref } = await setup();
    await run("sign", "cv", ref, "-s", "acme", "-K", key("signer.rsa.key"));
    const result = await run("verify", "cv", ref, "-s", "other", "-k", key("signer.pkix.pub"));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Code: OCM_SIGNING_SIGNATURE_NOT_FOUND");
    expect(result.stderr).toContain("Try: Signatures of acme.org/signed:1.0.0: acme.");
  });

  it("refuses a malformed key file with OCM_SIGNING_KEY_INVALID and stores nothing", async () => {
    const { run, ref, dir } = await setup();
    await mkdir(join(dir, "keys"));
    const bad = join(dir, "keys", "bad.pem");
    await writeFile(bad, "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n");
    const signed = await run("sign", "cv", ref, "-s", "acme", "-K", bad);
    expect(signed.exitCode).toBe(1);
    expect(signed.stderr).toContain("Code: OCM_SIGNING_KEY_INVALID");
    const stored = JSON.parse((await run("get", "cv", ref, "-o", "json")).stdout) as ComponentDescriptor;
    expect(stored.signatures ?? []).toEqual([]);
    await run("sign", "cv", ref, "-s", "acme", "-K", key("signer.rsa.key"));
    const verified = await run("verify", "cv", ref, "-s", "acme", "-k", bad);
    expect(verified.exitCode).toBe(1);
    expect(verified.stderr).toContain("Code: OCM_SIGNING_KEY_INVALID");
  });

  it("refuses to sign when a blob no longer matches its stored digest", async () => {
    const { run, ref, ctf } = await setup();
    for (const blob of await readdir(join(ctf, "blobs"))) {
      if ((await readFile(join(ctf, "blobs", blob), "utf8")) === "release notes\n")
        await writeFile(join(ctf, "blobs", blob), "changed\n");
    }
    const signed = await run("sign", "cv", ref, "-s", "acme", "-K", key("signer.rsa.key"));
    expect(signed.exitCode).toBe(1);
    expect(signed.stderr).toContain("Code: OCM_SIGNING_BLOB_DIGEST_MISMATCH");
    const stored = JSON.parse((await run("get", "cv", ref, "-o", "json")).stdout) as ComponentDescriptor;
    expect(stored.signatures ?? []).toEqual([]);
  });
});
