// `ocm plugin install` by semver constraint or latest, and `ocm plugin update`, as a user runs them (#16):
// versions of the Python example plugin are published into a CTF (and a registry) with `ocm add cv`.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { goArch, goOs } from "../../manager/operations/install/platform.js";
import { ocmCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { startRegistry } from "../helpers/registry.js";

const PYTHON_PLUGIN = join(REPO_ROOT, "plugins/examples/env-credentials.py");

async function setup(repository?: string) {
  const ocm = await ocmCli();
  const pluginDir = join(ocm.home, "plugins");
  const run = (...args: string[]) => ocm("--plugin-dir", pluginDir, ...args);
  const repo = repository ?? join(ocm.home, "plugins.ctf");
  let created = repository !== undefined;

  /** Publishes `component:version` whose plugin `id` reports `version`, or is broken (prints no JSON). */
  async function publish(component: string, id: string, version: string, broken = false) {
    const file = `${id}-${version}${broken ? ".sh" : ".py"}`;
    const script = broken
      ? "#!/bin/sh\necho 'not json'\n"
      : (await readFile(PYTHON_PLUGIN, "utf8")).replace(/^VERSION = "1\.0\.0"/m, `VERSION = "${version}"`);
    await writeFile(join(ocm.home, file), script, { mode: 0o755 });
    const resource = {
      name: id,
      type: "ocmPlugin",
      version,
      extraIdentity: { os: goOs(), architecture: goArch() },
      input: { type: "file", path: file },
    };
    const constructor = join(ocm.home, `${id}-${version}.yaml`);
    await writeFile(
      constructor,
      stringify({
        components: [{ name: component, version, provider: { name: "acme.org" }, resources: [resource] }],
      }),
    );
    const added = await run(
      "add",
      "cv",
      "--repository",
      repo,
      ...(created ? [] : ["--create"]),
      "--constructor",
      constructor,
    );
    expect(added.stderr).toBe("");
    created = true;
  }
  const installedVersion = async (id: string) =>
    (JSON.parse((await run("plugin", "info", id, "-o", "json")).stdout) as { version?: string }).version;
  return { run, repo, pluginDir, publish, installedVersion };
}

describe("ocm plugin install with a version constraint", () => {
  it("installs the highest version within ^1, the latest without a version, and names the versions when none matches (#16)", async () => {
    const { run, repo, publish, installedVersion } = await setup();
    for (const version of ["1.0.0", "1.2.0", "1.10.0", "2.0.0"])
      await publish("acme.org/plugins/env", "env", version);
    await publish("acme.org/plugins/env", "env", "3.0.0-rc.1");

    const caret = await run("plugin", "install", `${repo}//acme.org/plugins/env:^1`);
    expect(caret.stderr).toBe("");
    expect(caret.stdout).toContain("installed env 1.10.0 from acme.org/plugins/env:1.10.0");
    expect(await installedVersion("env")).toBe("1.10.0");

    const range = await run(
      "plugin",
      "install",
      `${repo}//acme.org/plugins/env`,
      "--semver",
      ">=1.0.0 <1.10.0",
    );
    expect(range.stdout).toContain("updated env 1.2.0 from acme.org/plugins/env:1.2.0 (was 1.10.0)");

    // The latest is the highest release; a prerelease only when asked for.
    const latest = await run("plugin", "install", `${repo}//acme.org/plugins/env`);
    expect(latest.stdout).toContain("updated env 2.0.0 from acme.org/plugins/env:2.0.0 (was 1.2.0)");
    expect(await installedVersion("env")).toBe("2.0.0");

    const none = await run("plugin", "install", `${repo}//acme.org/plugins/env:^4`);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain('Error: no version of acme.org/plugins/env satisfies "^4"');
    expect(none.stderr).toContain("Code: OCM_INSTALL_NO_VERSION");
    expect(none.stderr).toContain("Versions there: 1.0.0, 1.2.0, 1.10.0, 2.0.0, 3.0.0-rc.1");
    expect(await installedVersion("env")).toBe("2.0.0");

    const both = await run("plugin", "install", `${repo}//acme.org/plugins/env:^1`, "--semver", "^2");
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain("Code: OCM_USAGE_INVALID");
    const bad = await run("plugin", "install", `${repo}//acme.org/plugins/env`, "--semver", "one");
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('"one" is not a semver constraint');
  }, 120_000);
});

describe("ocm plugin update", () => {
  it("updates from 1.0.0 to 1.1.0 within the recorded constraint, another plugin to the latest, and keeps the old version when the new one is broken (#16)", async () => {
    const { run, repo, pluginDir, publish, installedVersion } = await setup();
    await publish("acme.org/plugins/env", "env", "1.0.0");
    await publish("acme.org/plugins/other", "other", "1.0.0");
    expect((await run("plugin", "install", `${repo}//acme.org/plugins/env:^1`)).exitCode).toBe(0);
    expect((await run("plugin", "install", `${repo}//acme.org/plugins/other`)).exitCode).toBe(0);

    const nothing = await run("plugin", "update");
    expect(nothing.stderr).toBe("");
    expect(nothing.exitCode).toBe(0);
    expect(nothing.stdout).toBe("env: up to date at 1.0.0 (within ^1)\nother: up to date at 1.0.0");

    await publish("acme.org/plugins/env", "env", "1.1.0");
    await publish("acme.org/plugins/env", "env", "2.0.0");
    await publish("acme.org/plugins/other", "other", "3.0.0");
    const updated = await run("plugin", "update");
    expect(updated.stderr).toBe("");
    expect(updated.exitCode).toBe(0);
    expect(updated.stdout).toBe(
      "env: updated from 1.0.0 to 1.1.0 (within ^1)\nother: updated from 1.0.0 to 3.0.0",
    );
    expect(await installedVersion("env")).toBe("1.1.0");
    expect(await installedVersion("other")).toBe("3.0.0");
    const working = await readFile(join(pluginDir, "env"));

    await publish("acme.org/plugins/env", "env", "1.2.0", true);
    const failed = await run("plugin", "update", "env");
    expect(failed.exitCode).toBe(1);
    expect(failed.stdout).toMatch(
      /^env: failed, kept 1\.1\.0: plugin env from acme\.org\/plugins\/env:1\.2\.0 failed its capabilities check: .*not JSON/,
    );
    expect(failed.stderr).toContain("Error: 1 of 1 plugin could not be updated: env");
    expect(failed.stderr).toContain("Code: OCM_INSTALL_UPDATE_FAILED");
    expect(await readFile(join(pluginDir, "env"))).toEqual(working);
    expect(await installedVersion("env")).toBe("1.1.0");

    const json = await run("plugin", "update", "-o", "json");
    expect(json.exitCode).toBe(1);
    const { plugins } = JSON.parse(json.stdout) as {
      plugins: { id: string; status: string; error?: { code: string } }[];
    };
    expect(plugins.map((p) => [p.id, p.status, p.error?.code])).toEqual([
      ["env", "failed", "OCM_INSTALL_INVALID_PLUGIN"],
      ["other", "up-to-date", undefined],
    ]);

    const unknown = await run("plugin", "update", "nope");
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("Code: OCM_INSTALL_NOT_INSTALLED");
    await writeFile(join(pluginDir, "handmade"), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
    const handmade = await run("plugin", "update", "handmade");
    expect(handmade.exitCode).toBe(1);
    expect(handmade.stderr).toContain("Code: OCM_INSTALL_NO_SOURCE");
  }, 180_000);

  it("installs the latest from a registry and updates from there when a newer version is pushed (#16)", async () => {
    const registry = await startRegistry();
    try {
      const { run, publish, installedVersion } = await setup(`${registry.url}/plugins`);
      await publish("acme.org/plugins/env", "env", "1.0.0");
      await publish("acme.org/plugins/env", "env", "1.1.0");
      const latest = await run("plugin", "install", `${registry.url}/plugins//acme.org/plugins/env`);
      expect(latest.stderr).toBe("");
      expect(latest.stdout).toContain("installed env 1.1.0 from acme.org/plugins/env:1.1.0");
      await publish("acme.org/plugins/env", "env", "1.2.0");
      const updated = await run("plugin", "update");
      expect(updated.stdout).toBe("env: updated from 1.1.0 to 1.2.0");
      expect(await installedVersion("env")).toBe("1.2.0");
    } finally {
      await registry.stop();
    }
  }, 180_000);
});
