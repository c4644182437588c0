// Issue 6: a transfer must keep signatures valid. A component version signed in a CTF is transferred to a
// real registry and from there into a second CTF; `ocm verify cv -r` recomputes every digest from the
// bytes in each place and must still accept the signature.
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ComponentDescriptor } from "../../core/model/index.js";
import { SIGNED_CONSTRUCTOR } from "../fixtures/signing/signed-constructor.js";
import { ocmCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { writeOciLayout } from "../helpers/oci-layout.js";
import { startRegistry, type RunningRegistry } from "../helpers/registry.js";
import { useTempDir } from "../helpers/temp-dir.js";

const KEYS = join(REPO_ROOT, "test/fixtures/signing");

let registry: RunningRegistry;

beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.stop();
});

interface Report {
  ok: boolean;
  checks: { kind: string; subject: string; ok: boolean; message: string }[];
}

const cli = ocmCli;

describe("a signed component version after CTF → OCI → CTF", () => {
  it("still verifies in the first CTF, in the registry and in the second CTF (issue 6)", async () => {
    const run = await cli();
    const dir = await useTempDir();
    await writeFile(join(dir, "notes.txt"), "release notes\n");
    await writeFile(join(dir, "constructor.yaml"), SIGNED_CONSTRUCTOR);
    const source = join(dir, "source");
    const back = join(dir, "back");
    const oci = `http://${registry.host}/signed`;
    const added = await run(
      "add",
      "cv",
      "--create",
      "--repository",
      source,
      "--constructor",
      join(dir, "constructor.yaml"),
    );
    expect(added.stderr).toBe("");

    const signed = await run(
      "sign",
      "cv",
      `${source}//acme.org/signed:1.0.0`,
      "-s",
      "acme",
      "-K",
      join(KEYS, "signer.rsa.key"),
      "-r",
      "-o",
      "json",
    );
    expect(signed.stderr).toBe("");
    const { signature } = JSON.parse(signed.stdout) as { signature: { digest: { value: string } } };

    const up = await run("transfer", `${source}//acme.org/signed:1.0.0`, oci, "-r");
    expect(up.stderr).toBe("");
    expect(up.exitCode).toBe(0);
    const down = await run("transfer", `${oci}//acme.org/signed:1.0.0`, back, "-r");
    expect(down.stderr).toBe("");
    expect(down.exitCode).toBe(0);

    for (const repo of [source, oci, back]) {
      const ref = `${repo}//acme.org/signed:1.0.0`;
      const verified = await run(
        "verify",
        "cv",
        ref,
        "-s",
        "acme",
        "-k",
        join(KEYS, "signer.pkix.pub"),
        "-r",
        "-o",
        "json",
      );
      expect(verified.stderr, repo).toBe("");
      expect(verified.exitCode, repo).toBe(0);
      const report = JSON.parse(verified.stdout) as Report;
      expect(report.ok).toBe(true);
      expect(report.checks.map((c) => `${c.kind} ${c.subject}`)).toEqual([
        "signature acme.org/signed:1.0.0 signature acme",
        "descriptor acme.org/signed:1.0.0 descriptor",
        "resource acme.org/signed:1.0.0 resource notes",
        "resource acme.org/signed:1.0.0 resource greeting[language=en]",
        "reference acme.org/signed:1.0.0 reference lib (acme.org/lib:1.0.0)",
        "resource acme.org/lib:1.0.0 resource data",
      ]);
      const stored = JSON.parse((await run("get", "cv", ref, "-o", "json")).stdout) as ComponentDescriptor;
      expect(stored.signatures?.map((s) => [s.name, s.digest.value])).toEqual([
        ["acme", signature.digest.value],
      ]);
    }

    // The registry copy is checked against its own bytes: the wrong key is still refused there.
    const wrong = await run(
      "verify",
      "cv",
      `${oci}//acme.org/signed:1.0.0`,
      "-s",
      "acme",
      "-k",
      join(KEYS, "other.pkix.pub"),
    );
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toContain("Code: OCM_SIGNING_SIGNATURE_INVALID");
  }, 120_000);

  it("keeps an ociArtifact resource's signed digest when --copy-resources turns the image into local blobs", async () => {
    const run = await cli();
    const dir = await useTempDir();
    const layout = await writeOciLayout(join(dir, "layout"), "1.0");
    await promisify(execFile)("skopeo", [
      "copy",
      "--dest-tls-verify=false",
      `oci:${join(dir, "layout")}:1.0`,
      `docker://${registry.host}/images/signed-app:1.0`,
    ]);
    const access = { type: "ociArtifact", imageReference: `${registry.host}/images/signed-app:1.0` };
    await writeFile(
      join(dir, "constructor.yaml"),
      "components:\n  - name: acme.org/img\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n" +
        `      - name: image\n        type: ociImage\n        version: "1.0"\n        access: ${JSON.stringify(access)}\n`,
    );
    const source = join(dir, "source");
    const back = join(dir, "back");
    const oci = `http://${registry.host}/copied`;
    const ref = (repo: string) => `${repo}//acme.org/img:1.0.0`;
    expect(
      (
        await run(
          "add",
          "cv",
          "--create",
          "--repository",
          source,
          "--constructor",
          join(dir, "constructor.yaml"),
        )
      ).exitCode,
    ).toBe(0);
    const signed = await run("sign", "cv", ref(source), "-s", "acme", "-K", join(KEYS, "signer.rsa.key"));
    expect(signed.stderr).toBe("");
    const stored = JSON.parse(
      (await run("get", "cv", ref(source), "-o", "json")).stdout,
    ) as ComponentDescriptor;
    expect(stored.component.resources[0]?.digest).toEqual({
      hashAlgorithm: "SHA-256",
      normalisationAlgorithm: "ociArtifactDigest/v1",
      value: layout.manifestDigest.slice("sha256:".length),
    });

    const up = await run("transfer", ref(source), oci, "--copy-resources");
    expect(up.stderr).toBe("");
    const down = await run("transfer", ref(oci), back, "--copy-resources");
    expect(down.stderr).toBe("");
    for (const repo of [source, oci, back]) {
      const verified = await run(
        "verify",
        "cv",
        ref(repo),
        "-s",
        "acme",
        "-k",
        join(KEYS, "signer.pkix.pub"),
        "-o",
        "json",
      );
      expect(verified.stderr, repo).toBe("");
      const report = JSON.parse(verified.stdout) as Report;
      expect(report.checks.map((c) => [c.kind, c.ok])).toEqual([
        ["signature", true],
        ["descriptor", true],
        ["resource", true],
      ]);
    }
  }, 120_000);

  it("names the resource and keeps the registry's code when digesting an ociArtifact fails", async () => {
    const run = await cli();
    const dir = await useTempDir();
    const access = { type: "ociArtifact", imageReference: `${registry.host}/images/missing:1.0` };
    await writeFile(
      join(dir, "constructor.yaml"),
      "components:\n  - name: acme.org/img\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n" +
        `      - name: image\n        type: ociImage\n        version: "1.0"\n        access: ${JSON.stringify(access)}\n`,
    );
    const source = join(dir, "source");
    await run(
      "add",
      "cv",
      "--create",
      "--repository",
      source,
      "--constructor",
      join(dir, "constructor.yaml"),
    );
    const signed = await run(
      "sign",
      "cv",
      `${source}//acme.org/img:1.0.0`,
      "-s",
      "acme",
      "-K",
      join(KEYS, "signer.rsa.key"),
    );
    expect(signed.exitCode).toBe(1);
    expect(signed.stderr).toMatch(
      /^Error: resource image of acme\.org\/img:1\.0\.0: GET http:\/\/127\.0\.0\.1:\d+\/v2\/images\/missing\/manifests\/1\.0: not found/,
    );
    expect(signed.stderr).toContain("Code: OCM_REPOSITORY_NOT_FOUND");
    expect(signed.stderr).toMatch(/Caused by: GET \S+ not found/);
    const stored = JSON.parse(
      (await run("get", "cv", `${source}//acme.org/img:1.0.0`, "-o", "json")).stdout,
    ) as ComponentDescriptor;
    expect(stored.signatures ?? []).toEqual([]);
  });
});
