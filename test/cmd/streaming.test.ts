// Streaming end to end: a 2 GiB resource goes into a CTF and back out through the CLI with the process's
// peak memory far below the blob's size (the input is a sparse file, so the test needs little disk for it).
import { open, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const SIZE = 2 * 1024 * 1024 * 1024;
const PRELOAD = join(REPO_ROOT, "test/fixtures/hosts/report-max-rss.mjs");

async function runMeasured(work: string, args: string[]) {
  const ocm = await bundleExecutable("cmd/ocm.ts", "ocm");
  const rssFile = join(work, `rss-${args[0]}`);
  const result = await execa("node", ["--import", PRELOAD, ocm, ...args], {
    reject: false,
    cwd: work,
    env: { HOME: work, XDG_CACHE_HOME: join(work, "cache"), OCM_PLUGIN_DIR: "", OCM_TEST_RSS_FILE: rssFile },
  });
  const peakMiB = Number(await readFile(rssFile, "utf8")) / 1024;
  return { result, peakMiB };
}

describe("streaming a 2 GiB resource", () => {
  it("adds and downloads it with the process staying under 200 MB", { timeout: 600_000 }, async () => {
    const work = await useTempDir();
    const input = join(work, "big.bin");
    const handle = await open(input, "w");
    await handle.truncate(SIZE);
    await handle.close();
    const constructor = join(work, "constructor.yaml");
    await writeFile(
      constructor,
      "components:\n  - name: acme.org/big\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n" +
        "      - name: blob\n        type: blob\n        input: {type: file, path: big.bin, mediaType: application/octet-stream}\n",
    );

    const added = await runMeasured(work, [
      "add",
      "cv",
      "--create",
      "--repository",
      join(work, "ctf"),
      "--constructor",
      constructor,
    ]);
    expect(added.result.stderr).toBe("");
    expect(added.result.exitCode).toBe(0);
    expect(added.peakMiB).toBeLessThan(200);

    const out = join(work, "out.bin");
    const downloaded = await runMeasured(work, [
      "download",
      "resource",
      `${join(work, "ctf")}//acme.org/big:1.0.0`,
      "blob",
      "-O",
      out,
    ]);
    expect(downloaded.result.stderr).toBe("");
    expect(downloaded.result.exitCode).toBe(0);
    expect(downloaded.peakMiB).toBeLessThan(200);
    expect((await stat(out)).size).toBe(SIZE);
    // The download is checked against the descriptor's digest; 2 GiB of zeros has this sha256.
    expect(downloaded.result.stdout).toContain(
      "sha256:a7c744c13cc101ed66c29f672f92455547889cc586ce6d44fe76ae824958ea51",
    );
  });
});
