// Issue #15: the `ocm` that `npm run build` ships is split into chunks loaded on demand. Code that only a
// registry needs (undici) sits in a chunk of its own, loaded by the first request; a round trip through a
// real registry shows that the chunk gives the CLI what it imports. Each built-in plugin is a chunk of its
// own, which only a command that uses the plugin loads.
import { execa } from "execa";
import { readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinLoaders } from "../../plugins/builtin-loaders.js";
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

  it("reads a CTF loading the CTF plugin's chunk and no other built-in plugin's (#15)", async () => {
    const home = await useTempDir();
    const ocm = await bundleCli(REPO_ROOT, join(home, "bin", "ocm.mjs"));
    const env = cliEnv(home);
    const ctf = join(home, "ctf");
    const constructor = "examples/component-constructor.yaml";
    const added = await execa(
      ocm,
      ["add", "cv", "--create", "--repository", ctf, "--constructor", constructor],
      {
        reject: false,
        cwd: REPO_ROOT,
        env,
      },
    );
    expect(added.exitCode).toBe(0);
    // A module loader hook that writes down every chunk the command imports.
    const loaded = join(home, "loaded.txt");
    const hook = join(home, "log-loads.mjs");
    const loaderSource = `import { appendFileSync } from "node:fs";
      export async function load(url, context, next) {
        if (url.includes("/ocm-chunks/")) appendFileSync(${JSON.stringify(loaded)}, url + "\\n");
        return next(url, context);
      }`;
    await writeFile(
      hook,
      `import { register } from "node:module";\nregister(${JSON.stringify(`data:text/javascript,${encodeURIComponent(loaderSource)}`)});\n`,
    );
    // `--version` needs no command tree: not even commander.
    const version = await execa(process.execPath, ["--import", hook, ocm, "--version"], { env });
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+$/);
    const versionUrls = (await readFile(loaded, "utf8")).trim().split("\n");
    const versionCode = await Promise.all(versionUrls.map((url) => readFile(new URL(url), "utf8")));
    expect(versionCode.join("\n")).not.toContain("node_modules/commander/");
    await rm(loaded);
    const read = await execa(
      process.execPath,
      ["--import", hook, ocm, "get", "cv", `${ctf}//acme.org/hello`],
      {
        reject: false,
        cwd: REPO_ROOT,
        env,
      },
    );
    expect(read.stderr).toBe("");
    expect(read.stdout).toMatch(/acme\.org\/hello\s+1\.0\.0/);
    const urls = (await readFile(loaded, "utf8")).trim().split("\n");
    const code = (await Promise.all(urls.map((url) => readFile(new URL(url), "utf8")))).join("\n");
    // Bundled names stay (ADR 0005): each plugin's definition is the constant its loader imports.
    const pluginsIn = Object.keys(builtinLoaders).filter((id) => code.includes(`${id}Plugin=`));
    expect(pluginsIn).toEqual(["ctf"]);
    // Nor what only other commands need: ajv checks plugin configurations and action data, tar packs and
    // unpacks archives, undici speaks to external plugins. Each marker is in the shipped code (checked first).
    const shipped = await Promise.all(
      (await readdir(join(home, "bin", "ocm-chunks"))).map((name) =>
        readFile(join(home, "bin", "ocm-chunks", name), "utf8"),
      ),
    );
    const markers = ["node_modules/ajv/dist/ajv.js", "TAR_BAD_ARCHIVE", "node_modules/undici/index.js"];
    expect(shipped.some((chunk) => chunk.includes("node_modules/commander/"))).toBe(true);
    for (const marker of markers) expect(shipped.some((chunk) => chunk.includes(marker))).toBe(true);
    expect(markers.filter((marker) => code.includes(marker))).toEqual([]);
  });
});
