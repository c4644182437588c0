// A plugin's settings in the ocm config file, through the `ocm` command (#11): its own configuration
// reaches it on the secrets line and nowhere else a user or another process could read it; a wrong one
// fails that plugin alone; idleTimeout, prefer and disabled apply per plugin id.
import { chmod, copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { cliEnv, ocmCli } from "../helpers/cli.js";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";

const TOKEN = "s3cr3t-token-do-not-print";
const CTF = join(REPO_ROOT, "test/fixtures/ocm/ctf-v0.20-localblob/transport-archive");
const CTF_CV = `ctf::${CTF}//github.com/acme.org/helloworld`;
const CONFIGURED_CV = `Configured/v1::{"path":"x"}//acme.org/app:1.0.0`;

/** `ocm` in a fresh home with the `configured` fixture plugin installed and `yaml` as ~/.ocmconfig. */
async function setup(yaml: string) {
  const cli = await ocmCli();
  const dir = join(cli.home, "plugins");
  await mkdir(dir, { recursive: true });
  const plugin = join(dir, "configured.mjs");
  await copyFile(await bundleExecutable("test/fixtures/plugins/configured/main.ts", "configured"), plugin);
  await chmod(plugin, 0o755);
  const configFile = join(cli.home, ".ocmconfig");
  await writeFile(configFile, yaml);
  const out = join(cli.home, "received.jsonl");
  const run = (...args: string[]) =>
    execa(cli.path, ["--plugin-dir", dir, ...args], {
      reject: false,
      cwd: cli.home,
      env: { ...cliEnv(cli.home), OCM_TEST_CONFIG_OUT: out },
    });
  /** What the plugin's init recorded: its configuration and its command line, one entry per start. */
  const received = async () =>
    (await readFile(out, "utf8").catch(() => ""))
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { config: unknown; argv: string[] });
  return { run, received, configFile };
}

const pluginEntry = (lines: string[]) =>
  ["type: plugin.config.ocm.software/v1", "plugins:", "  configured:", ...lines.map((l) => `    ${l}`)].join(
    "\n",
  );

describe("plugin settings from the ocm config file", () => {
  it("hands plugins.<id>.config to an external plugin on stdin, never in its argv, ocm's logs or plugin list/info (#11)", async () => {
    const { run, received } = await setup(
      pluginEntry(["idleTimeout: 42s", "config:", "  greeting: hello", `  token: ${TOKEN}`]),
    );

    const get = await run("--log-level", "trace", "get", "cv", CONFIGURED_CV);
    expect(get.stderr).toContain("plugin configured has no acme.org/app:1.0.0");
    expect(get.exitCode).toBe(1);
    const [start] = await received();
    expect(start?.config).toEqual({ greeting: "hello", token: TOKEN });
    expect(start?.argv.join(" ")).not.toContain(TOKEN);
    expect(JSON.parse(start?.argv[2] ?? "{}")).toMatchObject({ idleTimeout: "42000ms" });
    expect(get.stdout + get.stderr).not.toContain(TOKEN);

    for (const args of [
      ["plugin", "list"],
      ["plugin", "list", "-o", "json"],
      ["plugin", "info", "configured"],
      ["plugin", "info", "configured", "-o", "json"],
    ]) {
      const shown = await run(...args);
      expect(shown.exitCode).toBe(0);
      expect(shown.stdout + shown.stderr).not.toContain(TOKEN);
    }
  });

  it("refuses a config that breaks the plugin's configSchema, naming the plugin, the file and the field, and other plugins keep working (#11)", async () => {
    const { run, received, configFile } = await setup(
      [
        "type: generic.config.ocm.software/v1",
        "configurations:",
        "  - type: plugin.config.ocm.software/v1",
        "    plugins:",
        "      configured:",
        "        config:",
        "          greeting: hello",
        `          token: ${TOKEN}`,
        "          server: {port: 0}",
      ].join("\n"),
    );

    const get = await run("get", "cv", CONFIGURED_CV);
    expect(get.exitCode).toBe(1);
    expect(get.stderr).toContain(
      `plugin configured: config file ${configFile}: field configurations.0.plugins.configured.config.server.port: must be >= 1`,
    );
    expect(get.stderr).toContain("Code: OCM_PLUGIN_CONFIG_INVALID");
    expect(get.stderr).toContain("ocm plugin info configured");
    expect(get.stderr).not.toContain(TOKEN);
    expect(await received()).toEqual([]);

    const other = await run("get", "cv", CTF_CV);
    expect(other.stderr).toBe("");
    expect(other.exitCode).toBe(0);
  });

  it("lets prefer: external on one plugin win the types it shares with a built-in one (#11)", async () => {
    const preferred = await setup(pluginEntry(["prefer: external", "config: {greeting: hi}"]));
    const viaPlugin = await preferred.run("get", "cv", CTF_CV);
    expect(viaPlugin.stderr).toContain("plugin configured has no github.com/acme.org/helloworld");
    expect(viaPlugin.exitCode).toBe(1);

    const byDefault = await setup(pluginEntry(["config: {greeting: hi}"]));
    expect((await byDefault.run("get", "cv", CTF_CV)).exitCode).toBe(0);
    expect(await byDefault.received()).toEqual([]);
  });

  it("keeps a plugin disabled by plugins.<id>.disabled listed but never used (#11)", async () => {
    const { run, received } = await setup(pluginEntry(["disabled: true", "prefer: external"]));
    const list = await run("plugin", "list", "-o", "json");
    const { plugins } = JSON.parse(list.stdout) as { plugins: { id: string; state: string }[] };
    expect(plugins.find((row) => row.id === "configured")?.state).toBe("disabled");
    expect((await run("get", "cv", CTF_CV)).exitCode).toBe(0);
    expect(await received()).toEqual([]);
  });
});
