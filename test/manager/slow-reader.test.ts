// A plugin that closes its connection right after a blob (HTTP/1.0, as the docs' Python plugin does) while
// the host reads that blob slowly: the host's HTTP parser is paused under backpressure when the connection
// ends. The host must still deliver the whole blob, not crash (undici 7 asserted there: patches/).
import { randomBytes, createHash } from "node:crypto";
import { chmod, copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createPluginManager } from "../../manager/index.js";
import { MINIMAL_PLUGIN } from "../helpers/minimal-plugin.js";
import { useTempDir } from "../helpers/temp-dir.js";

const sha256 = (bytes: Buffer) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

describe("a blob read slowly from a plugin that closes after answering", () => {
  it("arrives whole, for sizes at and around the host's read-ahead bound", async () => {
    const home = await useTempDir();
    const plugins = join(home, "plugins");
    await mkdir(plugins);
    await copyFile(MINIMAL_PLUGIN, join(plugins, "dir-repository"));
    await chmod(join(plugins, "dir-repository"), 0o755);
    const manager = createPluginManager({
      builtins: [],
      pluginDirs: [plugins],
      cacheFile: false,
      home,
      env: { PATH: process.env["PATH"] ?? "" },
      handleSignals: false,
      logLevel: "silent",
    });
    try {
      const repo = await manager.getPlugin("DirRepository/v1", "componentVersionRepository");
      const repository = { type: "DirRepository/v1", path: join(home, "store") };
      // The host reads ahead up to 1 MiB of a blob: a blob of that size fills it exactly with its last byte.
      for (const size of [1024 * 1024, 1024 * 1024 + 1, 1024 * 1024 - 1, 64 * 1024]) {
        const bytes = randomBytes(size);
        const stored = await repo.addLocalBlob(
          {
            repository,
            component: "acme.org/slow",
            version: "1.0.0",
            mediaType: "application/octet-stream",
            digest: sha256(bytes),
            size,
          },
          (async function* () {
            yield bytes;
          })(),
        );
        const blob = await repo.getLocalBlob({
          repository,
          component: "acme.org/slow",
          version: "1.0.0",
          localReference: stored.localReference,
        });
        // The plugin has written the whole blob and closed its connection before the host reads a byte.
        await new Promise((resolve) => setTimeout(resolve, 500));
        const chunks: Buffer[] = [];
        for await (const chunk of blob.content) chunks.push(Buffer.from(chunk));
        expect(sha256(Buffer.concat(chunks)), `a blob of ${size} bytes`).toBe(sha256(bytes));
      }
    } finally {
      await manager.close();
    }
  });
});
