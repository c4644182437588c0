// Issue #11: the wire contract holds for a plain HTTP server. The minimal plugin of docs/plugin-authors.md
// (Python's http.server with its defaults: HTTP/1.0, one request per connection) carries a transfer both
// ways; a plugin that reads content-length only still gets every transferred blob whole; calls are bounded
// and an interrupted command ends its calls.
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { cliEnv, ocmCli } from "../helpers/cli.js";
import { MINIMAL_PLUGIN, writeFaultyPlugin } from "../helpers/minimal-plugin.js";
import { useTempDir } from "../helpers/temp-dir.js";

const CONSTRUCTOR = `components:
  - name: acme.org/hello
    version: 1.0.0
    provider: { name: acme.org }
    resources:
      - { name: notes, type: plainText, input: { type: file, path: notes.txt } }
      - { name: data, type: blob, input: { type: file, path: data.bin } }
`;

async function setup(plugin?: (dir: string) => Promise<string>) {
  const cli = await ocmCli();
  const dir = await useTempDir();
  const pluginDir = join(dir, "plugins");
  await mkdir(pluginDir);
  if (plugin) await plugin(pluginDir);
  else await copyFile(MINIMAL_PLUGIN, join(pluginDir, "dir-repository"));
  await writeFile(join(dir, "notes.txt"), "release notes\n");
  // Larger than any socket buffer, so a body the plugin does not read cannot hide in one.
  await writeFile(join(dir, "data.bin"), Buffer.alloc(3 * 1024 * 1024 + 17, 0x5a));
  await writeFile(join(dir, "constructor.yaml"), CONSTRUCTOR);
  const ocm = (...args: string[]) => cli("--plugin-dir", pluginDir, ...args);
  const ok = async (...args: string[]) => {
    const result = await ocm(...args);
    expect(result.stderr, `ocm ${args.join(" ")}`).toBe("");
    expect(result.exitCode, `ocm ${args.join(" ")}`).toBe(0);
    return result.stdout;
  };
  await ok(
    "add",
    "cv",
    "--create",
    "--repository",
    join(dir, "source"),
    "--constructor",
    join(dir, "constructor.yaml"),
  );
  return { ocm, ok, dir, pluginDir, cli };
}

const CV = "acme.org/hello:1.0.0";

// Each test runs several ocm commands, each starting the Python plugin: slow on a busy machine.
describe("the wire contract with a plain http.server plugin (#11)", { timeout: 180_000 }, () => {
  it("transfers CTF → the docs' minimal plugin → CTF with the same digest and bytes", async () => {
    const { ok, dir } = await setup();
    await ok("transfer", "cv", "-q", `${join(dir, "source")}//${CV}`, `dir::${join(dir, "store")}`);
    await ok("transfer", "cv", "-q", `dir::${join(dir, "store")}//${CV}`, join(dir, "copy"));
    const digest = await ok("hash", "cv", `${join(dir, "source")}//${CV}`, "-o", "json");
    expect(await ok("hash", "cv", `dir::${join(dir, "store")}//${CV}`, "-o", "json")).toBe(digest);
    expect(await ok("hash", "cv", `${join(dir, "copy")}//${CV}`, "-o", "json")).toBe(digest);
    await ok("download", "resource", `${join(dir, "copy")}//${CV}`, "data", "-O", join(dir, "data.out"));
    expect(await readFile(join(dir, "data.out"))).toEqual(await readFile(join(dir, "data.bin")));
  });

  it("gives a plugin that reads content-length only every transferred and added file whole, and names chunked uploads when a directory input sends one", async () => {
    const { ok, ocm, dir } = await setup((pluginDir) => writeFaultyPlugin(pluginDir, "contentLengthOnly"));
    await ok("transfer", "cv", "-q", `${join(dir, "source")}//${CV}`, `dir::${join(dir, "store")}`);
    await ok(
      "download",
      "resource",
      `dir::${join(dir, "store")}//${CV}`,
      "data",
      "-O",
      join(dir, "data.out"),
    );
    expect(await readFile(join(dir, "data.out"))).toEqual(await readFile(join(dir, "data.bin")));

    // add cv knows each file's size, so its uploads carry content-length too and arrive whole.
    await ok(
      "add",
      "cv",
      "--repository",
      `dir::${join(dir, "other")}`,
      "--constructor",
      join(dir, "constructor.yaml"),
    );
    await ok(
      "download",
      "resource",
      `dir::${join(dir, "other")}//${CV}`,
      "data",
      "-O",
      join(dir, "added.out"),
    );
    expect(await readFile(join(dir, "added.out"))).toEqual(await readFile(join(dir, "data.bin")));

    // A directory input's tar has no size until it is made: that upload is chunked, and the plugin's
    // failure to read it is named, not a bare EPIPE.
    await mkdir(join(dir, "tree"));
    await writeFile(join(dir, "tree", "big.bin"), Buffer.alloc(3 * 1024 * 1024, 0x33));
    await writeFile(
      join(dir, "dir-constructor.yaml"),
      "components:\n  - name: acme.org/tree\n    version: 1.0.0\n    provider: { name: acme.org }\n" +
        "    resources:\n      - { name: tree, type: directoryTree, input: { type: dir, path: tree } }\n",
    );
    const added = await ocm(
      "add",
      "cv",
      "--repository",
      `dir::${join(dir, "other")}`,
      "--constructor",
      join(dir, "dir-constructor.yaml"),
    );
    expect(added.exitCode).toBe(1);
    expect(added.stderr).toMatch(/transfer-encoding: chunked/);
    expect(added.stderr).toMatch(/the plugin must read chunked request bodies/);
    expect(added.stderr).not.toContain("Error: write EPIPE");
  });

  it("fails a call that hangs past callTimeout, naming the plugin, the operation and the bound", async () => {
    const { ocm, dir } = await setup((pluginDir) => writeFaultyPlugin(pluginDir, "hangs"));
    const config = join(dir, "ocmconfig.yaml");
    await writeFile(
      config,
      "type: plugin.config.ocm.software/v1\nplugins:\n  dir-repository:\n    callTimeout: 1500ms\n",
    );
    const started = Date.now();
    const result = await ocm("--config", config, "get", "cv", `dir::${join(dir, "store")}//${CV}`);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(
      "Error: plugin dir-repository did not answer getComponentVersion (dir-repository, DirRepository/v1) within 1500 ms (callTimeout 1500 ms)",
    );
    expect(result.stderr).toContain("Code: OCM_RPC_TIMEOUT");
    expect(result.stderr).toContain("plugins.dir-repository.callTimeout");
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("ends its in-flight calls and exits 130 when the user interrupts it", async () => {
    const { cli, dir, pluginDir } = await setup((pluginDir) => writeFaultyPlugin(pluginDir, "hangs"));
    const child = execa(
      cli.path,
      ["--plugin-dir", pluginDir, "get", "cv", `dir::${join(dir, "store")}//${CV}`],
      {
        reject: false,
        cwd: cli.home,
        env: cliEnv(cli.home),
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const interrupted = Date.now();
    child.kill("SIGINT");
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(Date.now() - interrupted).toBeLessThan(5_000);
  });
});
