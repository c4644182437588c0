// The `without-oci` project really runs without the OCI plugin: in-process and in the bundled CLI, an OCI
// reference finds no plugin, while a CTF is read as always (issue #12).
import { describe, expect, it } from "vitest";
import { createPluginManager } from "../../index.js";
import { ocmCli } from "../helpers/cli.js";
import { WITHOUT_OCI } from "../helpers/executables.js";

describe.runIf(WITHOUT_OCI)("built-in plugins without OCI", () => {
  it("has no OCI plugin in-process", async () => {
    const manager = createPluginManager({ pluginDirs: [] });
    try {
      await expect(manager.getPlugin("OCIRegistry/v1", "componentVersionRepository")).rejects.toMatchObject({
        code: "OCM_PLUGIN_NOT_FOUND",
      });
      await expect(
        manager.getPlugin("CommonTransportFormat/v1", "componentVersionRepository"),
      ).resolves.toBeDefined();
    } finally {
      await manager.close();
    }
  });

  it("has no OCI plugin in the bundled CLI", async () => {
    const run = await ocmCli();
    const result = await run("plugin", "list", "-o", "json");
    expect(result.exitCode).toBe(0);
    const ids = (JSON.parse(result.stdout) as { plugins: { id: string }[] }).plugins.map((p) => p.id);
    expect(ids).toContain("ctf");
    expect(ids).not.toContain("oci");
  });
});
