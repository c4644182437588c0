// The import rules of .dependency-cruiser.cjs: the tree keeps them, and the check really fails when one is
// broken (a planted violation in a scratch tree, checked with the same configuration).
import { execa } from "execa";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const depcruise = join(REPO_ROOT, "node_modules", ".bin", "depcruise");
const CONFIG = join(REPO_ROOT, ".dependency-cruiser.cjs");

async function plant(root: string, files: Record<string, string>): Promise<void> {
  await writeFile(join(root, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "NodeNext" } }));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

async function cruise(cwd: string, args: string[]) {
  return execa(depcruise, [...args, "--config", CONFIG, "--output-type", "err"], { cwd, reject: false });
}

describe("the architecture check", () => {
  it("fails on core importing the host, one plugin importing another, a file cycle, and a layer crossing", async () => {
    const root = await useTempDir();
    await plant(root, {
      "core/model.ts": 'import { start } from "../manager/start.js";\nexport const model = start;\n',
      "manager/start.ts": "export const start = 1;\n",
      "plugins/oci/plugin.ts": 'import { layout } from "../ctf/layout.js";\nexport const oci = layout;\n',
      "plugins/ctf/layout.ts": "export const layout = 1;\n",
      "manager/a.ts": 'import { b } from "./b.js";\nexport const a = () => b;\n',
      "manager/b.ts": 'import { a } from "./a.js";\nexport const b = () => a;\n',
      "manager/operations/add.ts": 'import { pm } from "../host/pm.js";\nexport const add = pm;\n',
      "manager/host/pm.ts": "export const pm = 1;\n",
      "manager/host/discover.ts": 'import { add } from "../operations/add.js";\nexport const d = add;\n',
    });
    const result = await cruise(root, ["core", "manager", "plugins"]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toContain("core-imports-nothing-of-ours: core/model.ts → manager/start.ts");
    expect(result.stdout).toContain(
      "plugins-never-import-each-other: plugins/oci/plugin.ts → plugins/ctf/layout.ts",
    );
    expect(result.stdout).toContain("no-file-cycles");
    expect(result.stdout).toContain(
      "operations-see-only-core: manager/operations/add.ts → manager/host/pm.ts",
    );
    expect(result.stdout).toContain(
      "host-runs-no-operation: manager/host/discover.ts → manager/operations/add.ts",
    );
  });

  it("fails on a plugin or the CLI importing a module behind a public entry point (#12)", async () => {
    const root = await useTempDir();
    await plant(root, {
      "sdk/index.ts": 'export { serve } from "./serve/serve.js";\n',
      "sdk/serve/serve.ts": "export const serve = 1;\n",
      "plugins/wget/plugin.ts":
        'import { serve } from "../../sdk/serve/serve.js";\nexport const wget = serve;\n',
      "manager/index.ts": 'export { start } from "./host/start.js";\n',
      "manager/host/start.ts": "export const start = 1;\n",
      "cmd/refs.ts": 'import { start } from "../manager/host/start.js";\nexport const refs = start;\n',
      "core/index.ts": 'export { model } from "./model/index.js";\n',
      "core/model/index.ts": "export const model = 1;\n",
      "plugins/npm/plugin.ts":
        'import { model } from "../../core/model/index.js";\nexport const npm = model;\n',
    });
    const result = await cruise(root, ["core", "manager", "sdk", "plugins", "cmd"]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toContain(
      "plugins-use-the-sdk-entry-points: plugins/wget/plugin.ts → sdk/serve/serve.ts",
    );
    expect(result.stdout).toContain("cmd-uses-the-package-entry-points: cmd/refs.ts → manager/host/start.ts");
    expect(result.stdout).toContain(
      "plugins-use-the-core-entry-point: plugins/npm/plugin.ts → core/model/index.ts",
    );
  });

  it("passes the same scratch tree once the violations are gone", async () => {
    const root = await useTempDir();
    await plant(root, {
      "core/index.ts": "export const model = 1;\n",
      "manager/start.ts": 'import { model } from "../core/index.js";\nexport const start = model;\n',
      "plugins/oci/plugin.ts": 'import { model } from "../../core/index.js";\nexport const oci = model;\n',
      "sdk/index.ts": 'export { serve } from "./serve/serve.js";\n',
      "sdk/serve/serve.ts": "export const serve = 1;\n",
      "plugins/wget/plugin.ts": 'import { serve } from "../../sdk/index.js";\nexport const wget = serve;\n',
      "manager/index.ts": 'export { start } from "./start.js";\n',
      "cmd/refs.ts": 'import { start } from "../manager/index.js";\nexport const refs = start;\n',
    });
    const result = await cruise(root, ["core", "manager", "sdk", "plugins", "cmd"]);
    expect(result.stdout).toContain("no dependency violations found");
    expect(result.exitCode).toBe(0);
  });
});
