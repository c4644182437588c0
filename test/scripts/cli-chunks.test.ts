// Issue #15: the `ocm` that `npm run build` ships is split into chunks loaded on demand. Code that only a
// registry needs (undici) sits in a chunk of its own, loaded by the first request; a round trip through a
// real registry shows that the chunk gives the CLI what it imports.
import { execa } from "execa";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleCli } from "../../scripts/bundle-executable.js";
import { cliEnv } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { startRegistry, type RunningRegistry } from "../helpers/registry.js";
import { useTempDir } from "../helpers/temp-dir.js";

let registry: RunningRegistry;
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.stop();
});

describe("the shipped ocm in chunks", () => {
  it("adds a component version to a registry and reads it back, loading the chunks beside it", async () => {
    const home = await useTempDir();
    const ocm = await bundleCli(REPO_ROOT, join(home, "bin", "ocm.mjs"));
    expect((await readdir(join(home, "bin", "ocm-chunks"))).length).toBeGreaterThan(1);
    const run = (...args: string[]) => execa(ocm, args, { reject: false, cwd: REPO_ROOT, env: cliEnv(home) });
    const repository = `${registry.host}/chunks`;
    const constructor = "examples/component-constructor.yaml";
    const added = await run("add", "cv", "--repository", repository, "--constructor", constructor);
    expect(added.stderr).toBe("");
    expect(added.exitCode).toBe(0);
    const listed = await run("get", "cv", `${repository}//acme.org/hello:1.0.0`, "-o", "json");
    expect(listed.stderr).toBe("");
    expect(JSON.parse(listed.stdout)).toMatchObject({
      component: { name: "acme.org/hello", version: "1.0.0" },
    });
  });
});
