// A closed manager holds nothing that keeps its process alive, so a command that started a plugin exits as
// soon as its work is done (#15: a grace timer left pending after a plugin's pipes had closed kept every such
// command alive for another half second).
import { execa } from "execa";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleNodeExecutable } from "../../scripts/bundle-executable.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { installEcho } from "../helpers/install-echo.js";

describe("closing the manager", () => {
  it("leaves no timer running after it stopped the external plugin it had started", async () => {
    const { home, dir } = await installEcho();
    const script = join(home, "use-and-close.ts");
    await writeFile(
      script,
      [
        `import { createPluginManager } from ${JSON.stringify(join(REPO_ROOT, "manager/index.ts"))};`,
        "const manager = createPluginManager({",
        `  builtins: [], pluginDirs: [${JSON.stringify(dir)}], cacheFile: false, env: {},`,
        `  home: ${JSON.stringify(home)}, handleSignals: false, logLevel: "silent",`,
        "});",
        'const lister = await manager.getPlugin("Echo/v1", "componentLister");',
        'const answer = await lister.listComponents({ repository: { type: "Echo/v1" } });',
        "await manager.close();",
        // What would still keep this process alive, once the current turn of the event loop is over.
        "setImmediate(() => console.log(JSON.stringify({ answer, alive: process.getActiveResourcesInfo() })));",
        "",
      ].join("\n"),
    );
    const bundled = await bundleNodeExecutable(script, join(home, "use-and-close.mjs"));
    const run = await execa(process.execPath, [bundled], { cwd: home });
    const { answer, alive } = JSON.parse(run.stdout) as { answer: unknown; alive: string[] };
    expect(answer).toHaveProperty("components");
    expect(alive).not.toContain("Timeout");
  });
});
