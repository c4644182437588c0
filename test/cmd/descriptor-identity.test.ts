// A signature covers a descriptor's own name and version, so a repository that serves a signed descriptor
// under another tag or repository must not make it pass for that version (#10): the host checks every read.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ocmCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { startRegistry, type RunningRegistry } from "../helpers/registry.js";
import { useTempDir } from "../helpers/temp-dir.js";
import { SIGNED_CONSTRUCTOR } from "../fixtures/signing/signed-constructor.js";

const KEYS = join(REPO_ROOT, "test/fixtures/signing");
const MISMATCH = "OCM_DESCRIPTOR_IDENTITY_MISMATCH";
let registry: RunningRegistry;

beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.stop();
});

/** A CTF holding acme.org/signed:1.0.0 (and acme.org/lib:1.0.0), signed as `acme`. */
async function signedCtf() {
  const ocm = await ocmCli();
  const dir = await useTempDir();
  await writeFile(join(dir, "notes.txt"), "release notes\n");
  await writeFile(join(dir, "constructor.yaml"), SIGNED_CONSTRUCTOR);
  const ctf = join(dir, "ctf");
  const add = await ocm(
    "add",
    "cv",
    "--create",
    "--repository",
    ctf,
    "--constructor",
    join(dir, "constructor.yaml"),
  );
  expect(add.stderr).toBe("");
  const sign = await ocm(
    "sign",
    "cv",
    `${ctf}//acme.org/signed:1.0.0`,
    "--signature",
    "acme",
    "--private-key",
    join(KEYS, "signer.rsa.key"),
  );
  expect(sign.exitCode).toBe(0);
  const verify = (ref: string) =>
    ocm("verify", "cv", ref, "--signature", "acme", "--public-key", join(KEYS, "signer.pkix.pub"));
  return { ocm, ctf, verify };
}

interface Index {
  artifacts: { repository: string; tag: string; digest: string }[];
}

async function editIndex(ctf: string, edit: (index: Index) => void) {
  const path = join(ctf, "artifact-index.json");
  const index = JSON.parse(await readFile(path, "utf8")) as Index;
  edit(index);
  await writeFile(path, JSON.stringify(index));
}

describe("descriptor identity (#10)", () => {
  it("refuses a signed CTF descriptor whose tag was changed to another version (#10)", async () => {
    const { ocm, ctf, verify } = await signedCtf();
    await editIndex(ctf, (index) => {
      for (const a of index.artifacts) if (a.repository.endsWith("acme.org/signed")) a.tag = "2.0.0";
    });
    const swapped = await verify(`${ctf}//acme.org/signed:2.0.0`);
    expect(swapped.exitCode).toBe(1);
    expect(swapped.stderr).toContain(`Code: ${MISMATCH}`);
    expect(swapped.stderr).toContain("returned acme.org/signed:1.0.0 when asked for acme.org/signed:2.0.0");
    expect(swapped.stdout).not.toMatch(/\bok\b/);
    const get = await ocm("get", "cv", `${ctf}//acme.org/signed:2.0.0`);
    expect(get.exitCode).toBe(1);
    expect(get.stderr).toContain(`Code: ${MISMATCH}`);
    const listed = await ocm("get", "cv", `${ctf}//acme.org/signed`);
    expect(listed.stderr).toContain(`Code: ${MISMATCH}`);
  });

  it("refuses a signed CTF descriptor whose repository was renamed to another component (#10)", async () => {
    const { ocm, ctf, verify } = await signedCtf();
    await editIndex(ctf, (index) => {
      for (const a of index.artifacts) {
        if (a.repository.endsWith("acme.org/signed")) a.repository = "component-descriptors/acme.org/evil";
      }
    });
    const renamed = await verify(`${ctf}//acme.org/evil:1.0.0`);
    expect(renamed.exitCode).toBe(1);
    expect(renamed.stderr).toContain(`Code: ${MISMATCH}`);
    expect(renamed.stderr).toContain("returned acme.org/signed:1.0.0 when asked for acme.org/evil:1.0.0");
    const get = await ocm("get", "cv", `${ctf}//acme.org/evil:1.0.0`);
    expect(get.stderr).toContain(`Code: ${MISMATCH}`);
  });

  it("refuses a registry manifest copied to another tag, and still verifies the genuine version (#10)", async () => {
    const { ocm, ctf, verify } = await signedCtf();
    const target = `${registry.host}/identity-${Date.now()}`;
    const transferred = await ocm("transfer", "cv", "-r", "-q", `${ctf}//acme.org/signed:1.0.0`, target);
    expect(transferred.stderr).toBe("");
    const repo = `${registry.url}/v2/${target.slice(registry.host.length + 1)}/component-descriptors/acme.org/signed`;
    const accept = "application/vnd.oci.image.manifest.v1+json";
    const manifest = await fetch(`${repo}/manifests/1.0.0`, { headers: { accept } });
    expect(manifest.status).toBe(200);
    const put = await fetch(`${repo}/manifests/2.0.0`, {
      method: "PUT",
      headers: { "content-type": manifest.headers.get("content-type") ?? accept },
      body: Buffer.from(await manifest.arrayBuffer()),
    });
    expect(put.status).toBe(201);

    const copied = await verify(`${target}//acme.org/signed:2.0.0`);
    expect(copied.exitCode).toBe(1);
    expect(copied.stderr).toContain(`Code: ${MISMATCH}`);
    expect(copied.stderr).toContain("returned acme.org/signed:1.0.0 when asked for acme.org/signed:2.0.0");
    expect((await ocm("get", "cv", `${target}//acme.org/signed:2.0.0`)).stderr).toContain(MISMATCH);

    const genuine = await verify(`${target}//acme.org/signed:1.0.0`);
    expect(genuine.stderr).toBe("");
    expect(genuine.exitCode).toBe(0);
    expect((await verify(`${ctf}//acme.org/signed:1.0.0`)).exitCode).toBe(0);
  });
});
