// The `ocm` executable `npm run build` ships (package.json `bin`): one bundled file that runs on its own.
import { execa } from "execa";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleCli } from "../../scripts/bundle-executable.js";
import { cliEnv } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

describe("the shipped ocm bundle", () => {
  it("is what package.json's bin names, and reads a CTF written by the Go tool", async () => {
    const manifest = JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")) as {
      version: string;
      bin: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(manifest.bin["ocm"]).toBe("dist/ocm.mjs");
    expect(manifest.scripts["build"]).toContain("scripts/build-cli.ts");

    const home = await useTempDir();
    const ocm = await bundleCli(REPO_ROOT, join(home, "ocm.mjs"));
    const version = await execa(ocm, ["--version"], { env: cliEnv(home) });
    expect(version.stdout).toBe(manifest.version);
    expect((await execa(ocm, ["-V"], { env: cliEnv(home) })).stdout).toBe(manifest.version);
    const archive = join(REPO_ROOT, "test/fixtures/ocm/ctf-v0.20-localblob/transport-archive");
    const get = await execa(ocm, ["get", "cv", `${archive}//github.com/acme.org/helloworld`, "-o", "json"], {
      env: cliEnv(home),
    });
    expect(JSON.parse(get.stdout)).toMatchObject({
      component: { name: "github.com/acme.org/helloworld", version: "1.0.0" },
    });
  });
});
