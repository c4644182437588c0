// `npm run build:plugins` as a user relies on it: a single executable that runs with no node_modules and
// serves real calls through the manager (issue 5).
import { Buffer } from "node:buffer";
import { writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { createPluginManager } from "../../manager/index.js";
import {
  buildPluginExecutable,
  executableName,
  goArch,
  goOs,
  wrapTopLevelAwait,
} from "../../scripts/build-plugins.js";
import { bundleNodeExecutable } from "../../scripts/bundle-executable.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

async function readAll(content: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of content) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

describe("build:plugins", () => {
  it("names executables with Go's os and architecture names", () => {
    expect(goOs("win32")).toBe("windows");
    expect(goOs("darwin")).toBe("darwin");
    expect(goArch("x64")).toBe("amd64");
    expect(goArch("arm64")).toBe("arm64");
    expect(executableName("ctf", "linux", "x64")).toBe("ctf-linux-amd64");
    expect(executableName("ctf", "win32", "arm64")).toBe("ctf-windows-arm64.exe");
  });

  it("moves a top-level await of an entry module into a function, keeping the imports on top", () => {
    const source = 'import { a } from "./a.js";\nimport {\n  b,\n} from "./b.js";\n\nawait a(b);\n';
    const wrapped = wrapTopLevelAwait(source);
    expect(wrapped.startsWith('import { a } from "./a.js";\nimport {\n  b,\n} from "./b.js";')).toBe(true);
    expect(wrapped).toContain("void (async () => {");
    expect(wrapped).toMatch(/async \(\) => \{\s+await a\(b\);\s+\}\)\(\)/);
    expect(wrapTopLevelAwait("void main();\n")).toBe("void main();\n");
  });

  it("builds a single executable that answers capabilities and serves a real call through the manager", async () => {
    const home = await useTempDir();
    const dir = join(home, "plugins");
    const path = await buildPluginExecutable({
      entry: join(REPO_ROOT, "plugins/inputs/main.ts"),
      name: "inputs",
      outDir: dir,
    });
    expect(basename(path)).toBe(executableName("inputs"));

    // Run from an empty directory with no NODE_PATH: everything it needs is inside the file.
    const caps = await execa(path, ["capabilities"], { cwd: home, env: { PATH: "" }, extendEnv: false });
    expect(JSON.parse(caps.stdout)).toMatchObject({
      name: "inputs",
      type: { "UTF8/v1": ["inputRepository"] },
    });
    expect(caps.stderr).toBe("");

    const manager = createPluginManager({
      pluginDirs: [dir],
      cacheFile: false,
      env: {},
      home,
      handleSignals: false,
      logLevel: "silent",
    });
    try {
      expect((await manager.info(basename(path))).state).toBe("ok");
      const inputs = await manager.getPlugin("UTF8/v1", "inputRepository");
      const blob = await inputs.processInput({
        input: { type: "utf8", text: "hello from a SEA" },
        baseDir: home,
      });
      expect(await readAll(blob.content)).toBe("hello from a SEA");
      expect((await manager.info(basename(path))).runtime?.state).toBe("running");
    } finally {
      await manager.close();
    }
  }, 180_000);

  it("answers capabilities with what the plugin printed when built, without evaluating it (#15)", async () => {
    const home = await useTempDir();
    // A plugin that says on stderr when its code runs.
    const entry = join(home, "noisy.ts");
    await writeFile(
      entry,
      [
        `import { definePlugin } from ${JSON.stringify(join(REPO_ROOT, "sdk/index.ts"))};`,
        `import { echoPlugin } from ${JSON.stringify(join(REPO_ROOT, "test/fixtures/plugins/echo/definition.ts"))};`,
        'process.stderr.write("plugin evaluated\\n");',
        "await definePlugin(echoPlugin).run(process.argv);",
        "",
      ].join("\n"),
    );
    const plain = await bundleNodeExecutable(entry, join(home, "plain.mjs"));
    const expected = await execa(plain, ["capabilities"], { cwd: home });
    expect(expected.stderr).toBe("plugin evaluated");

    const bundled = await bundleNodeExecutable(entry, join(home, "bundled.mjs"), {
      capabilitiesAtBuild: true,
    });
    const sea = await buildPluginExecutable({ entry, name: "noisy", outDir: join(home, "bin") });
    // The bundle run by node, and the single executable run from an empty environment.
    const runs: [string, string[]][] = [
      [process.execPath, [bundled]],
      [sea, []],
    ];
    for (const [file, first] of runs) {
      const run = (...args: string[]) =>
        execa(file, [...first, ...args], { cwd: home, env: { PATH: "" }, extendEnv: false, reject: false });
      const caps = await run("capabilities");
      expect(caps.stdout).toBe(expected.stdout);
      expect(caps.stderr).toBe("");
      // Every other command runs the plugin.
      const help = await run("help");
      expect(help.stderr).toBe("plugin evaluated");
      expect(help.stdout).toContain("<plugin> capabilities");
      expect((await run("capabilities", "--now")).exitCode).toBe(64);
    }
  }, 180_000);
});
