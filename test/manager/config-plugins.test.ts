// Per-plugin settings of the ocm config file (`plugins.<id>`) as a library user sees them: the plugin's own
// configuration reaches its init hook, checked against its configSchema; precedence and disabling per id.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ComponentLister, PluginDefinition } from "../../core/index.js";
import { createPluginManager, type PluginManagerOptions } from "../../manager/index.js";
import { loadOcmConfig } from "../../manager/host/config/load-config.js";
import { useTempDir } from "../helpers/temp-dir.js";

const SECRET = "hunter2-not-for-logs";

const lister = (names: string[]): ComponentLister => ({
  async listComponents() {
    return { components: names };
  },
});

/** An in-process plugin serving `type` whose init records the configuration it got. */
function recording(name: string, type: string, seen: unknown[]): PluginDefinition {
  return {
    name,
    types: { [type]: { capabilities: { componentLister: lister([name]) } } },
    configSchema: {
      type: "object",
      properties: {
        token: { type: "string" },
        endpoints: { type: "array", items: { type: "object", properties: { port: { type: "integer" } } } },
      },
      required: ["token"],
      additionalProperties: false,
    },
    init: (config) => void seen.push(config),
  };
}

async function managerWithConfig(yaml: string, options: PluginManagerOptions = {}) {
  const home = await useTempDir();
  const configFile = join(home, "ocmconfig.yaml");
  await writeFile(configFile, yaml);
  const manager = createPluginManager({
    cacheFile: false,
    env: {},
    home,
    handleSignals: false,
    logLevel: "silent",
    configFile,
    ...options,
  });
  return { manager, configFile };
}

async function components(manager: ReturnType<typeof createPluginManager>, type: string) {
  const plugin = await manager.getPlugin(type, "componentLister");
  return (await plugin.listComponents({ repository: { type } } as never)).components;
}

describe("per-plugin settings in the ocm config file", () => {
  it("passes plugins.<id>.config to an in-process plugin's init when it is first used (#11)", async () => {
    const seen: unknown[] = [];
    const { manager } = await managerWithConfig(
      [
        "type: plugin.config.ocm.software/v1",
        "plugins:",
        "  recorder:",
        "    config:",
        `      token: ${SECRET}`,
        "      endpoints: [{port: 443}]",
      ].join("\n"),
      { builtins: [recording("recorder", "Rec/v1", seen)] },
    );
    expect(seen).toEqual([]);
    expect(await components(manager, "Rec/v1")).toEqual(["recorder"]);
    expect(seen).toEqual([{ token: SECRET, endpoints: [{ port: 443 }] }]);
    await manager.close();
  });

  it("fails only the plugin whose config breaks its configSchema, naming plugin, file and dot path, never the value (#11)", async () => {
    const seen: unknown[] = [];
    const { manager, configFile } = await managerWithConfig(
      [
        "type: generic.config.ocm.software/v1",
        "configurations:",
        "  - type: plugin.config.ocm.software/v1",
        "    plugins:",
        "      recorder:",
        "        config:",
        `          token: ${SECRET}`,
        "          endpoints: [{port: '443'}]",
      ].join("\n"),
      { builtins: [recording("recorder", "Rec/v1", seen), recording("other", "Other/v1", [])] },
    );
    const error = (await manager.getPlugin("Rec/v1", "componentLister").catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({
      code: "OCM_PLUGIN_CONFIG_INVALID",
      message: `plugin recorder: config file ${configFile}: field configurations.0.plugins.recorder.config.endpoints.0.port: must be integer`,
    });
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(seen).toEqual([]);
    // The other plugin has no configuration at all, so nothing is validated and it works.
    expect(await components(manager, "Other/v1")).toEqual(["other"]);
    await manager.close();
  });

  it("names a missing and an unknown field of a plugin's configuration by its path (#11)", async () => {
    const { manager } = await managerWithConfig(
      ["type: plugin.config.ocm.software/v1", "plugins:", "  recorder:", "    config: {tokn: x}"].join("\n"),
      { builtins: [recording("recorder", "Rec/v1", [])] },
    );
    const error = (await manager.getPlugin("Rec/v1", "componentLister").catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("field plugins.recorder.config.token: is required (and 1 more problem)");
    await manager.close();
  });

  it("lets the pluginConfig option win over the config file, checked the same way (#11)", async () => {
    const seen: unknown[] = [];
    const { manager } = await managerWithConfig(
      ["type: plugin.config.ocm.software/v1", "plugins:", "  recorder:", "    config: {token: file}"].join(
        "\n",
      ),
      { builtins: [recording("recorder", "Rec/v1", seen)], pluginConfig: { recorder: { token: "option" } } },
    );
    await components(manager, "Rec/v1");
    expect(seen).toEqual([{ token: "option" }]);
    await manager.close();

    const bad = await managerWithConfig("type: plugin.config.ocm.software/v1\n", {
      builtins: [recording("recorder", "Rec/v1", [])],
      pluginConfig: { recorder: { token: 1 } },
    });
    await expect(bad.manager.getPlugin("Rec/v1", "componentLister")).rejects.toMatchObject({
      code: "OCM_PLUGIN_CONFIG_INVALID",
      message: "plugin recorder: the pluginConfig option: field pluginConfig.recorder.token: must be string",
    });
    await bad.manager.close();
  });

  it("disables one plugin by id and enables one the global list disables (#11)", async () => {
    const { manager } = await managerWithConfig(
      [
        "type: plugin.config.ocm.software/v1",
        "disabled: [first, second]",
        "plugins:",
        "  first: {disabled: false}",
        "  third: {disabled: true}",
      ].join("\n"),
      {
        builtins: ["first", "second", "third"].map((name) => ({
          name,
          types: { [`${name}/v1`]: { capabilities: { componentLister: lister([name]) } } },
        })),
      },
    );
    const states = Object.fromEntries((await manager.list()).map((p) => [p.id, p.state]));
    expect(states).toEqual({ first: "ok", second: "disabled", third: "disabled" });
    expect(await components(manager, "first/v1")).toEqual(["first"]);
    await manager.close();
  });

  it("merges plugins entries in file order, a later field winning and config replaced whole (#11)", async () => {
    const home = await useTempDir();
    const path = join(home, "config.yaml");
    await writeFile(
      path,
      [
        "type: generic.config.ocm.software/v1",
        "configurations:",
        "  - type: plugin.config.ocm.software/v1",
        "    plugins:",
        "      p: {config: {a: 1, b: 2}, idleTimeout: 30s, prefer: external}",
        "  - type: plugin.config.ocm.software/v1",
        "    plugins:",
        "      p: {config: {c: 3}, startTimeout: 1m}",
      ].join("\n"),
    );
    const config = await loadOcmConfig({ path, home });
    expect(config.plugin.plugins).toEqual({
      p: {
        config: { c: 3 },
        configSource: { file: path, field: "configurations.1.plugins.p.config" },
        idleTimeoutMs: 30_000,
        startTimeoutMs: 60_000,
        prefer: "external",
      },
    });
  });

  it("rejects an unknown key in a plugin's settings, naming its path (#11)", async () => {
    const home = await useTempDir();
    const path = join(home, "config.yaml");
    await writeFile(path, "type: plugin.config.ocm.software/v1\nplugins:\n  p:\n    confg: {}\n");
    await expect(loadOcmConfig({ path, home })).rejects.toMatchObject({
      code: "OCM_CONFIG_INVALID",
      message: expect.stringContaining(`config file ${path}: field plugins.p.confg:`),
    });
  });
});
