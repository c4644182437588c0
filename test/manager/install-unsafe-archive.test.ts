// `ocm plugin install` with a plugin archive built to escape the staging directory (#10): a chain of
// links, each staying "inside" on its own, must not let an archive write outside, in tar or tgz form.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { createPluginManager } from "../../index.js";
import { installPlugin } from "../../manager/install/install-plugin.js";
import { addComponentVersions } from "../../manager/ops/add-component-versions.js";
import { useTempDir } from "../helpers/temp-dir.js";
import { file, linkChain, tarOf } from "../plugins/ctf/tar-builder.js";

/** Publishes `archive` as the plugin acme.org/plugins/env:1.0.0 in a new CTF and installs it. */
async function publishAndInstall(home: string, name: string, archive: Buffer) {
  await writeFile(join(home, name), archive);
  await writeFile(
    join(home, "constructor.yaml"),
    stringify({
      components: [
        {
          name: "acme.org/plugins/env",
          version: "1.0.0",
          provider: { name: "acme.org" },
          resources: [
            {
              name: "env",
              type: "ocmPlugin",
              version: "1.0.0",
              extraIdentity: { os: "linux", architecture: "amd64" },
              input: { type: "file", path: name },
            },
          ],
        },
      ],
    }),
  );
  const manager = createPluginManager({
    cacheFile: false,
    env: {},
    home,
    handleSignals: false,
    logLevel: "silent",
  });
  const repository = { type: "CommonTransportFormat/v1", filePath: join(home, "ctf") };
  try {
    await addComponentVersions(manager, {
      repository: { ...repository, accessMode: "create" },
      constructorPath: join(home, "constructor.yaml"),
    });
    return await installPlugin(manager, {
      repository,
      component: "acme.org/plugins/env",
      version: "1.0.0",
      pluginDir: join(home, "plugins"),
      os: "linux",
      architecture: "amd64",
    }).catch((e: unknown) => e);
  } finally {
    await manager.close();
  }
}

describe("plugin archives (#10)", () => {
  it.each(["tar", "tgz"] as const)(
    "refuses a %s plugin archive that ends in the middle with OCM_ARCHIVE_TRUNCATED, installing nothing (#10)",
    async (format) => {
      const home = await useTempDir();
      const whole = tarOf(
        [file("bin/env", `#!/bin/sh\n${"echo padding\n".repeat(20_000)}`)],
        format === "tgz",
      );
      const error = await publishAndInstall(
        home,
        `plugin.${format}`,
        whole.subarray(0, Math.floor(whole.length / 2)),
      );
      expect(error).toMatchObject({ code: "OCM_ARCHIVE_TRUNCATED" });
      expect((error as Error).message).toContain("the plugin archive ends early");
      expect(await readdir(join(home, "plugins")).catch(() => [])).toEqual([]);
    },
  );

  it.each(["tar", "tgz"] as const)(
    "refuses a %s plugin archive whose chain of links leads into another directory, writing nothing there (#10)",
    async (format) => {
      const home = await useTempDir();
      const victim = join(home, "victim");
      await mkdir(victim);
      const archive = tarOf(
        [...linkChain("bin", victim), file("bin/env", "#!/bin/sh\necho pwned\n")],
        format === "tgz",
      );
      await writeFile(join(home, `plugin.${format}`), archive);
      await writeFile(
        join(home, "constructor.yaml"),
        stringify({
          components: [
            {
              name: "acme.org/plugins/env",
              version: "1.0.0",
              provider: { name: "acme.org" },
              resources: [
                {
                  name: "env",
                  type: "ocmPlugin",
                  version: "1.0.0",
                  extraIdentity: { os: "linux", architecture: "amd64" },
                  input: { type: "file", path: `plugin.${format}` },
                },
              ],
            },
          ],
        }),
      );
      const manager = createPluginManager({
        cacheFile: false,
        env: {},
        home,
        handleSignals: false,
        logLevel: "silent",
      });
      const repository = { type: "CommonTransportFormat/v1", filePath: join(home, "ctf") };
      try {
        await addComponentVersions(manager, {
          repository: { ...repository, accessMode: "create" },
          constructorPath: join(home, "constructor.yaml"),
        });
        const pluginDir = join(home, "plugins");
        const error = await installPlugin(manager, {
          repository,
          component: "acme.org/plugins/env",
          version: "1.0.0",
          pluginDir,
          os: "linux",
          architecture: "amd64",
        }).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: "OCM_INSTALL_UNSAFE_ARCHIVE" });
        expect((error as Error).message).toContain('"p" is a symbolic link to .');
        expect(await readdir(victim)).toEqual([]);
        expect(await readdir(pluginDir)).toEqual([]);
      } finally {
        await manager.close();
      }
    },
  );
});
