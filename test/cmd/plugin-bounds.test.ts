// What an untrusted plugin can make the host do (#10): a huge JSON answer costs a clear error, not
// gigabytes; an error text full of terminal escapes is printed escaped and short; a blob that never ends
// stops at its declared size and leaves nothing at the download target.
import { chmod, copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { cliEnv } from "../helpers/cli.js";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const PRELOAD = join(REPO_ROOT, "test/fixtures/hosts/report-max-rss.mjs");

/** Runs `ocm` (under node, to measure its peak RSS) with the hostile plugin preferred for CTF. */
async function hostileCli(config = "") {
  const home = await useTempDir();
  const plugins = join(home, "plugins");
  await mkdir(plugins);
  await copyFile(
    await bundleExecutable("test/fixtures/plugins/hostile/main.ts", "hostile"),
    join(plugins, "hostile.mjs"),
  );
  await chmod(join(plugins, "hostile.mjs"), 0o755);
  await writeFile(
    join(home, ".ocmconfig"),
    `type: plugin.config.ocm.software/v1\nlocations: [${JSON.stringify(plugins)}]\nprefer: external\n${config}`,
  );
  const ocm = await bundleExecutable("cmd/ocm.ts", "ocm");
  const rssFile = join(home, "rss");
  const run = async (...args: string[]) => {
    const result = await execa("node", ["--import", PRELOAD, ocm, ...args], {
      reject: false,
      cwd: home,
      env: { ...cliEnv(home), OCM_TEST_RSS_FILE: rssFile },
    });
    const peakMiB = Number(await readFile(rssFile, "utf8")) / 1024;
    return { ...result, peakMiB };
  };
  return { run, home };
}

describe("bounds on what a plugin sends (#10)", () => {
  it("refuses a JSON answer of over 100 MB with a clear error while the host stays small (#10)", async () => {
    const { run } = await hostileCli();
    const result = await run("get", "cv", "ctf::./repo//acme.org/huge:1.0.0");
    expect(result.stderr).toContain("Code: OCM_RPC_RESPONSE_TOO_LARGE");
    expect(result.stderr).toMatch(/plugin hostile answered getComponentVersion .* more than 16 MiB of JSON/);
    expect(result.exitCode).toBe(1);
    // Reading the whole body would take several hundred MB; the bound keeps the host near its baseline.
    expect(result.peakMiB).toBeLessThan(200);
  });

  it("takes the bound on JSON answers from the ocm config (#10)", async () => {
    const { run } = await hostileCli("maxResponseSize: 100\n");
    const result = await run("get", "cv", "ctf::./repo//acme.org/endless:1.0.0");
    expect(result.stderr).toContain("more than 100 bytes of JSON");
    expect(result.exitCode).toBe(1);
  });

  it("prints a plugin's error text with escape sequences escaped and cut short (#10)", async () => {
    const { run } = await hostileCli();
    const result = await run("get", "cv", "ctf::./repo//acme.org/ansi:1.0.0");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Code: OCM_REPOSITORY_NOT_FOUND");
    // No raw control character (ESC, BEL, CR, backspace, C1 CSI) reaches the terminal.
    // eslint-disable-next-line no-control-regex -- looking for raw control characters
    expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(result.stderr).toContain("\\x1b]0;owned\\x07\\x1b[2J");
    expect(result.stderr).toContain("\\x0d\\x08Code: OCM_FAKE\\x0aAAAA");
    expect(result.stderr).toContain("\\x9b2J");
    // The plugin's forged line stays inside the message line.
    expect(result.stderr.split("\n").filter((l) => l.startsWith("Code:"))).toEqual([
      "Code: OCM_REPOSITORY_NOT_FOUND",
    ]);
    expect(result.stderr.length).toBeLessThan(8_000);
    expect(result.stderr).toContain("more characters cut");
  });

  it("stops a blob that never ends at its declared size and leaves no file at the target (#10)", async () => {
    const { run, home } = await hostileCli();
    await mkdir(join(home, "out"));
    const result = await run(
      "download",
      "resource",
      "ctf::./repo//acme.org/endless:1.0.0",
      "blob",
      "-O",
      join(home, "out", "blob.txt"),
    );
    expect(result.stderr).toContain("Code: OCM_BLOB_SIZE_MISMATCH");
    expect(result.stderr).toContain("sent more than the 1048576 bytes declared for the blob");
    expect(result.exitCode).toBe(1);
    expect(await readdir(join(home, "out"))).toEqual([]);
  });

  it("escapes control characters of repository text in tables (#10)", async () => {
    const { run } = await hostileCli();
    const result = await run("get", "cv", "ctf::./repo//acme.org/escapes:1.0.0");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("\\x1b[2J\\x1b]0;owned\\x07acme");
    expect(result.stdout).not.toContain("\u001b");
  });

  it("reports a plugin's internal error as the plugin's bug, not ocm-ts's, with exit 1 (#10)", async () => {
    const { run } = await hostileCli();
    const result = await run("get", "cv", "ctf::./repo//acme.org/bug:1.0.0");
    expect(result.stderr).toContain("plugin hostile failed with an internal error");
    expect(result.stderr).toContain("Code: OCM_RPC_FAILED");
    expect(result.stderr).toContain("This is a bug in plugin hostile");
    expect(result.exitCode).toBe(1);
  });

  it("stops an endless resource at the size its access states, or at maxBlobSize when none is stated (#10)", async () => {
    const { run, home } = await hostileCli("maxBlobSize: 2097152\n");
    await mkdir(join(home, "out"));
    const ref = "ctf::./repo//acme.org/endless-access:1.0.0";
    const sized = await run("download", "resource", ref, "sized", "-O", join(home, "out", "sized"));
    expect(sized.stderr).toContain("Code: OCM_BLOB_SIZE_MISMATCH");
    expect(sized.stderr).toContain("sent more than the 1048576 bytes declared");
    const unsized = await run("download", "resource", ref, "unsized", "-O", join(home, "out", "unsized"));
    expect(unsized.stderr).toContain("Code: OCM_BLOB_TOO_LARGE");
    expect(unsized.stderr).toContain("larger than 2 MiB, the configured maximum");
    expect([sized.exitCode, unsized.exitCode]).toEqual([1, 1]);
    expect(await readdir(join(home, "out"))).toEqual([]);
  });

  it("refuses a descriptor of another component from an external plugin (#10)", async () => {
    const { run } = await hostileCli();
    const result = await run("get", "cv", "ctf::./repo//acme.org/liar:1.0.0");
    expect(result.stderr).toContain("Code: OCM_DESCRIPTOR_IDENTITY_MISMATCH");
    expect(result.stderr).toContain(
      "(plugin hostile) returned acme.org/other:1.0.0 when asked for acme.org/liar:1.0.0",
    );
    expect(result.exitCode).toBe(1);
  });
});
