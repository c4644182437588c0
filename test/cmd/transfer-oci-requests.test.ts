// The requests a transfer into a real `docker-registry` makes (#15 item 2): transferring again what the
// registry already holds reads each component version's manifest and descriptor and nothing else, and
// `--log-level debug` shows every request and their count, as the registry's own access log has them.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ocmCli } from "../helpers/cli.js";
import { startRegistry, type RunningRegistry } from "../helpers/registry.js";
import { useTempDir } from "../helpers/temp-dir.js";

let registry: RunningRegistry;

beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.stop();
});

type Cli = Awaited<ReturnType<typeof ocmCli>>;

/** acme.org/app:1.0.0 (two resources, `readme` saying `readme`) referencing acme.org/lib:1.0.0 (one). */
const appAndLib = (readme: string) => `components:
  - name: acme.org/app
    version: 1.0.0
    provider: {name: acme.org}
    componentReferences:
      - {name: lib, componentName: acme.org/lib, version: 1.0.0}
    resources:
      - {name: readme, type: plainText, input: {type: utf8, text: ${JSON.stringify(readme)}, mediaType: text/plain}}
      - {name: config, type: plainText, input: {type: utf8, text: "port: 8080", mediaType: text/plain}}
  - name: acme.org/lib
    version: 1.0.0
    provider: {name: acme.org}
    resources:
      - {name: notes, type: plainText, input: {type: utf8, text: "lib notes", mediaType: text/plain}}
`;

/** A new CTF holding the constructor's component versions. */
async function buildCtf(ocm: Cli, constructorText: string): Promise<string> {
  const dir = await useTempDir();
  await writeFile(join(dir, "constructor.yaml"), constructorText);
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
  expect(added.stderr).toBe("");
  return ctf;
}

/**
 * The requests the registry answered while `run` ran, from its access log. A request of the test's own
 * marks the end: the registry logs a request once it has answered it, so every request `run` made is
 * logged before the mark is.
 */
async function requestsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const before = registry.requests().length;
  await run();
  const mark = `/v2/?mark=${Math.random().toString(36).slice(2)}`;
  await (await fetch(`${registry.url}${mark}`)).body?.cancel();
  for (let i = 0; i < 200 && !registry.requests().includes(`GET ${mark}`); i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const log = registry.requests();
  const end = log.indexOf(`GET ${mark}`);
  expect(end).toBeGreaterThanOrEqual(before);
  return log.slice(before, end);
}

/** The JSON log lines of stderr with `msg`. */
function logLines(stderr: string, msg: string): Record<string, unknown>[] {
  return stderr
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line["msg"] === msg);
}

describe("ocm transfer into a registry that already holds the versions (#15)", () => {
  it("reads one manifest and one descriptor per version, checks no blob and copies nothing", async () => {
    const ocm = await ocmCli();
    const ctf = await buildCtf(ocm, appAndLib("readme"));
    const target = `${registry.host}/no-op`;
    const first = await ocm("transfer", "-r", `${ctf}//acme.org/app:1.0.0`, target);
    expect(first.stderr).toBe("");
    expect(first.stdout).toContain("copied acme.org/app:1.0.0 (2 blobs copied, 0 skipped");

    let again: Awaited<ReturnType<Cli>> | undefined;
    const requests = await requestsDuring(async () => {
      again = await ocm("transfer", "-r", `${ctf}//acme.org/app:1.0.0`, target, "--log-level", "debug");
    });
    expect(again?.exitCode).toBe(0);
    expect(again?.stdout).toBe(
      "skipped acme.org/lib:1.0.0 (0 blobs copied, 1 skipped, 0 B)\n" +
        "skipped acme.org/app:1.0.0 (0 blobs copied, 2 skipped, 0 B)\n" +
        "2 component versions (0 copied, 0 overwritten, 2 skipped); blobs: 0 copied, 3 skipped; 0 B",
    );
    // Per version its manifest by tag and its descriptor layer by digest: no blob HEAD, no upload.
    const repo = (component: string) => `/v2/no-op/component-descriptors/${component}`;
    const digestsHidden = requests.map((r) => r.replace(/sha256:[0-9a-f]{64}$/, "<digest>")).sort();
    expect(digestsHidden).toEqual([
      `GET ${repo("acme.org/app")}/blobs/<digest>`,
      `GET ${repo("acme.org/app")}/manifests/1.0.0`,
      `GET ${repo("acme.org/lib")}/blobs/<digest>`,
      `GET ${repo("acme.org/lib")}/manifests/1.0.0`,
    ]);
    // --log-level debug names the same requests, and counts them at the end.
    const stderr = again?.stderr ?? "";
    const logged = logLines(stderr, "registry request").map(
      (l) => `${String(l["method"])} ${String(l["path"])}`,
    );
    expect(logged.sort()).toEqual([...requests].sort());
    expect(
      logLines(stderr, "registry request").every((l) => l["status"] === 200 && l["plugin"] === "oci"),
    ).toBe(true);
    expect(logLines(stderr, "registry requests made")).toEqual([
      expect.objectContaining({ plugin: "oci", requests: 4, byMethod: { GET: 4 } }),
    ]);
    expect(stderr.trimEnd().split("\n").at(-1)).toContain('"msg":"registry requests made"');
  });

  it("still copies a version whose content changed, and only its changed blob", async () => {
    const ocm = await ocmCli();
    const target = `${registry.host}/changed`;
    const original = await buildCtf(ocm, appAndLib("readme"));
    expect((await ocm("transfer", `${original}//acme.org/app:1.0.0`, target)).exitCode).toBe(0);
    const changed = await buildCtf(ocm, appAndLib("readme, second edition"));

    const refused = await ocm("transfer", `${changed}//acme.org/app:1.0.0`, target);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain("OCM_TRANSFER_TARGET_DIFFERS");

    const requests = await requestsDuring(async () => {
      const moved = await ocm("transfer", `${changed}//acme.org/app:1.0.0`, target, "--overwrite");
      expect(moved.stderr).toBe("");
      expect(moved.stdout).toMatch(/^overwritten acme\.org\/app:1\.0\.0 \(1 blob copied, 1 skipped, /);
    });
    // The new readme is uploaded, and a new manifest replaces the tag.
    const repo = "/v2/changed/component-descriptors/acme.org/app";
    expect(requests.filter((r) => r.startsWith(`PUT ${repo}/blobs/uploads/`))).not.toEqual([]);
    expect(requests).toContain(`PUT ${repo}/manifests/1.0.0`);
    const out = join(ocm.home, "readme.txt");
    await ocm("download", "resource", `${target}//acme.org/app:1.0.0`, "readme", "-O", out);
    expect(await readFile(out, "utf8")).toBe("readme, second edition");
  });
});
