// The registry knows the built-in plugins from generated documents, not from their code (#15): those must say
// exactly what each definition declares, and each lazy registration must load the plugin it names.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtinPlugins } from "../../plugins/builtin.js";
import {
  BUILTIN_DOCUMENTS_FILE,
  builtinDocumentsText,
  describeBuiltins,
} from "../../scripts/builtin-documents.js";
import { REPO_ROOT } from "../helpers/executables.js";

describe("the built-in plugins' generated documents (#15)", () => {
  it("are what describePlugin gives for every built-in definition (run `npm run builtins` after changing one)", async () => {
    const committed = readFileSync(join(REPO_ROOT, BUILTIN_DOCUMENTS_FILE), "utf8");
    expect(committed).toBe(await builtinDocumentsText(await describeBuiltins()));
  });

  it("register every built-in plugin under the name its definition carries", async () => {
    for (const plugin of builtinPlugins()) {
      const definition = await plugin.load();
      expect(definition.name).toBe(plugin.id);
      expect(plugin.document.name).toBe(plugin.id);
    }
  });
});
