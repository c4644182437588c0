// Transfer streams: two 512 MiB blobs (sparse input files) go from one CTF to another through the CLI, with
// the process's peak memory far below one blob's size, so no blob is ever held whole.
import { open, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const SIZE = 512 * 1024 * 1024;
const PRELOAD = join(REPO_ROOT, "test/fixtures/hosts/report-max-rss.mjs");

describe("transferring large blobs", () => {
  it("copies two 512 MiB blobs with the process staying under 200 MB", { timeout: 600_000 }, async () => {
    const work = await useTempDir();
    const ocm = await bundleExecutable("cmd/ocm.ts", "ocm");
    const run = (args: string[], rssFile?: string) =>
      execa("node", [...(rssFile ? ["--import", PRELOAD] : []), ocm, ...args], {
        reject: false,
        cwd: work,
        env: {
          HOME: work,
          XDG_CACHE_HOME: join(work, "cache"),
          OCM_PLUGIN_DIR: "",
          ...(rssFile ? { OCM_TEST_RSS_FILE: rssFile } : {}),
        },
      });
    for (const [name, tail] of [
      ["a.bin", "a"],
      ["b.bin", "b"],
    ] as const) {
      const handle = await open(join(work, name), "w");
      await handle.truncate(SIZE - 1);
      await handle.write(tail, SIZE - 1);
      await handle.close();
    }
    await writeFile(
      join(work, "constructor.yaml"),
      "components:\n  - name: acme.org/big\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n" +
        "      - {name: first, type: blob, input: {type: file, path: a.bin, mediaType: application/octet-stream}}\n" +
        "      - {name: second, type: blob, input: {type: file, path: b.bin, mediaType: application/octet-stream}}\n",
    );
    const added = await run([
      "add",
      "cv",
      "--create",
      "--repository",
      "source",
      "--constructor",
      "constructor.yaml",
    ]);
    expect(added.stderr).toBe("");
    expect(added.exitCode).toBe(0);

    const rssFile = join(work, "rss");
    const transfer = await run(["transfer", "source//acme.org/big:1.0.0", "target", "-o", "json"], rssFile);
    expect(transfer.stderr).toBe("");
    expect(transfer.exitCode).toBe(0);
    expect(JSON.parse(transfer.stdout)).toMatchObject({ blobsCopied: 2, bytes: 2 * SIZE });
    const peakMiB = Number(await readFile(rssFile, "utf8")) / 1024;
    expect(peakMiB).toBeLessThan(200);

    const hashes = await Promise.all(
      ["source", "target"].map((repo) => run(["hash", "cv", `${repo}//acme.org/big:1.0.0`, "-o", "json"])),
    );
    expect(hashes[1]?.stdout).toBe(hashes[0]?.stdout);
  });
});
