// Plugins as products, end to end as a user runs them (issue 5): the Python example plugin and a
// TypeScript plugin built as a single executable are published into a CTF with `ocm add cv`, installed
// with `ocm plugin install`, listed with their provenance, and then used by real commands.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { goArch, goOs } from "../../manager/operations/install/platform.js";
import { buildPluginExecutable, pluginConstructor } from "../../scripts/build-plugins.js";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { REGISTRY_PASSWORD, REGISTRY_USER, startRegistry } from "../helpers/registry.js";
import { useTempDir } from "../helpers/temp-dir.js";
import { writeEnvCredentialsConstructor } from "../helpers/env-credentials-component.js";

describe("ocm plugin install", () => {
  it("installs a Python and a single-executable TypeScript plugin from a CTF, lists their provenance and uses both", async () => {
    const home = await useTempDir();
    const pluginDir = join(home, "plugins");
    const ctf = join(home, "plugins-ctf");
    const ocmPath = await bundleExecutable("cmd/ocm.ts", "ocm");
    const ocm = (...args: string[]) =>
      execa(ocmPath, ["--plugin-dir", pluginDir, ...args], {
        reject: false,
        cwd: home,
        env: {
          HOME: home,
          XDG_CACHE_HOME: join(home, "cache"),
          OCM_PLUGIN_DIR: "",
          COLUMNS: "",
          OCM_CRED_GHCR_IO_USERNAME: "me",
        },
      });

    // Publish: the Python script for this platform, and the inputs plugin built with build:plugins.
    await writeEnvCredentialsConstructor(home, "python.yaml");
    const built = join(home, "built");
    await buildPluginExecutable({
      entry: join(REPO_ROOT, "plugins/inputs/main.ts"),
      name: "inputs",
      outDir: built,
    });
    await writeFile(join(built, "component-constructor.yaml"), await pluginConstructor(built, "0.1.0"));
    expect(
      (await ocm("add", "cv", "--repository", ctf, "--create", "--constructor", join(home, "python.yaml")))
        .exitCode,
    ).toBe(0);
    const addTs = await ocm(
      "add",
      "cv",
      "--repository",
      ctf,
      "--constructor",
      join(built, "component-constructor.yaml"),
    );
    expect(addTs.stderr).toBe("");
    expect(addTs.exitCode).toBe(0);

    // Install both; installing again is a no-op.
    const python = await ocm("plugin", "install", `${ctf}//acme.org/plugins/env-credentials:1.0.0`);
    expect(python.stderr).toBe("");
    expect(python.stdout).toContain(
      `installed env-credentials 1.0.0 from acme.org/plugins/env-credentials:1.0.0 at ${join(pluginDir, "env-credentials")}`,
    );
    const ts = await ocm("plugin", "install", `${ctf}//ocm.software/plugins/inputs:0.1.0`);
    expect(ts.stdout).toContain("installed inputs 0.1.0 from ocm.software/plugins/inputs:0.1.0");
    expect((await ocm("plugin", "install", `${ctf}//ocm.software/plugins/inputs:0.1.0`)).stdout).toContain(
      "nothing to do",
    );

    // Listed with provenance.
    const table = await ocm("plugin", "list");
    expect(table.stdout).toMatch(
      /env-credentials\s+external\s+1\.0\.0\s+ok\s+.*acme\.org\/plugins\/env-credentials:1\.0\.0/,
    );
    expect(table.stdout).toMatch(
      /inputs\s+external\s+0\.1\.0\s+shadowed\s+.*ocm\.software\/plugins\/inputs:0\.1\.0/,
    );
    // The built-in inputs plugin serves its types unless external plugins are preferred (below).
    expect(table.stdout).toContain(
      "inputs: shadowed: File/v1 inputRepository, Dir/v1 inputRepository, UTF8/v1 inputRepository, Binary/v1 inputRepository served by the built-in inputs",
    );
    const listed = JSON.parse((await ocm("plugin", "list", "-o", "json")).stdout) as {
      plugins: {
        id: string;
        source: string;
        provenance?: { component: string; digest: string; resource: Record<string, string> };
      }[];
    };
    const external = listed.plugins.find((p) => p.id === "inputs" && p.source === "external");
    expect(external?.provenance).toMatchObject({
      component: "ocm.software/plugins/inputs",
      resource: { name: "inputs", os: goOs(), architecture: goArch() },
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });

    // The installed TypeScript executable does the work of `ocm add cv` when external plugins are preferred.
    await writeFile(
      join(home, "prefer-external.yaml"),
      "type: plugin.config.ocm.software/v1\nprefer: external\n",
    );
    await writeFile(
      join(home, "app.yaml"),
      stringify({
        components: [
          {
            name: "acme.org/app",
            version: "1.0.0",
            provider: { name: "acme.org" },
            resources: [
              {
                name: "greeting",
                type: "plainText",
                input: { type: "utf8", text: "hello from an installed plugin" },
              },
            ],
          },
        ],
      }),
    );
    const add = await ocm(
      "--config",
      join(home, "prefer-external.yaml"),
      "--log-level",
      "debug",
      "add",
      "cv",
      "--repository",
      join(home, "app-ctf"),
      "--create",
      "--constructor",
      join(home, "app.yaml"),
    );
    expect(add.exitCode).toBe(0);
    expect(add.stderr).toMatch(/"plugin":"inputs".*"msg":"plugin started"/);
    const download = await ocm(
      "download",
      "resource",
      `${join(home, "app-ctf")}//acme.org/app:1.0.0`,
      "greeting",
      "-O",
      join(home, "out.txt"),
    );
    expect(download.exitCode).toBe(0);
    expect(await readFile(join(home, "out.txt"), "utf8")).toBe("hello from an installed plugin");

    // The installed Python plugin keeps the contract, and a real command gets its registry credentials
    // from it: the ocm config lists EnvCredentials/v1 as a credential repository.
    const verify = await ocm("plugin", "verify", join(pluginDir, "env-credentials"));
    expect(verify.exitCode).toBe(0);
    const registry = await startRegistry({ auth: "basic" });
    try {
      const config = join(home, "env-credentials.yaml");
      await writeFile(
        config,
        "type: credentials.config.ocm.software\nrepositories:\n  - repository: {type: EnvCredentials/v1}\n",
      );
      const port = registry.host.split(":")[1] ?? "";
      const transfer = (env: Record<string, string>) =>
        execa(
          ocmPath,
          [
            "--plugin-dir",
            pluginDir,
            "--config",
            config,
            "transfer",
            `${join(home, "app-ctf")}//acme.org/app:1.0.0`,
            `${registry.url}/mirror`,
          ],
          {
            reject: false,
            cwd: home,
            env: { HOME: home, XDG_CACHE_HOME: join(home, "cache"), OCM_PLUGIN_DIR: "", ...env },
          },
        );
      const refused = await transfer({});
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain("Code: OCM_OCI_UNAUTHORIZED");
      const moved = await transfer({
        [`OCM_CRED_127_0_0_1_${port}_USERNAME`]: REGISTRY_USER,
        [`OCM_CRED_127_0_0_1_${port}_PASSWORD`]: REGISTRY_PASSWORD,
      });
      expect(moved.stderr).toBe("");
      expect(moved.exitCode).toBe(0);
      expect(moved.stderr).not.toContain(REGISTRY_PASSWORD);
      expect(registry.requests()).toContain(
        "PUT /v2/mirror/component-descriptors/acme.org/app/manifests/1.0.0",
      );
    } finally {
      await registry.stop();
    }

    // Disabled: still listed, never chosen; uninstalled: gone.
    expect((await ocm("plugin", "disable", "env-credentials")).stdout).toContain("disabled env-credentials");
    expect((await ocm("plugin", "list")).stdout).toMatch(/env-credentials\s+external\s+1\.0\.0\s+disabled/);
    expect((await ocm("plugin", "enable", "env-credentials")).exitCode).toBe(0);
    expect((await ocm("plugin", "uninstall", "env-credentials")).stdout).toContain("removed env-credentials");
    expect((await ocm("plugin", "list")).stdout).not.toContain("env-credentials");
    const again = await ocm("plugin", "uninstall", "env-credentials");
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain("Code: OCM_INSTALL_NOT_INSTALLED");
  }, 240_000);
});
