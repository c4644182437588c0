// `ocm plugin install` of a plugin archive built to escape the staging directory or cut short (#10): a
// chain of links, each staying "inside" on its own, must not let an archive write outside, in tar or tgz
// form; a truncated archive is a clear failure, not an internal error. Driven through the real command.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ocmCli } from "../helpers/cli.js";
import { useTempDir } from "../helpers/temp-dir.js";
import { file, linkChain, tarOf } from "../plugins/ctf/tar-builder.js";

/** Publishes `archive` as the plugin acme.org/plugins/env:1.0.0 in a new CTF and runs `ocm plugin install`. */
async function publishAndInstall(name: string, archive: Buffer) {
  const ocm = await ocmCli();
  const home = ocm.home;
  const pluginDir = join(home, "plugins");
  await mkdir(pluginDir);
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
              extraIdentity: { os: "linux", architecture: process.arch === "arm64" ? "arm64" : "amd64" },
              input: { type: "file", path: name },
            },
          ],
        },
      ],
    }),
  );
  const run = (...args: string[]) =>
    execa(ocm.path, ["--plugin-dir", pluginDir, ...args], { reject: false, cwd: home, env: { HOME: home } });
  const added = await run(
    "add",
    "cv",
    "--repository",
    "./ctf",
    "--create",
    "--constructor",
    "constructor.yaml",
  );
  expect(added.stderr).toBe("");
  const installed = await run("plugin", "install", "./ctf//acme.org/plugins/env:1.0.0");
  return { home, pluginDir, installed };
}

describe("ocm plugin install of hostile plugin archives (#10)", () => {
  it.each(["tar", "tgz"] as const)(
    "refuses a %s plugin archive that ends in the middle with OCM_ARCHIVE_TRUNCATED and exit 1, installing nothing (#10)",
    async (format) => {
      const whole = tarOf(
        [file("bin/env", `#!/bin/sh\n${"echo padding\n".repeat(20_000)}`)],
        format === "tgz",
      );
      const { pluginDir, installed } = await publishAndInstall(
        `plugin.${format}`,
        whole.subarray(0, Math.floor(whole.length / 2)),
      );
      expect(installed.exitCode).toBe(1);
      expect(installed.stderr).toContain("Code: OCM_ARCHIVE_TRUNCATED");
      expect(installed.stderr).toContain("the plugin archive ends early");
      expect(await readdir(pluginDir)).toEqual([]);
    },
  );

  it.each(["tar", "tgz"] as const)(
    "refuses a %s plugin archive whose chain of links leads into another directory, writing nothing there (#10)",
    async (format) => {
      const victimRoot = await useTempDir();
      const victim = join(victimRoot, "victim");
      await mkdir(victim);
      const archive = tarOf(
        [...linkChain("bin", victim), file("bin/env", "#!/bin/sh\necho pwned\n")],
        format === "tgz",
      );
      const { pluginDir, installed } = await publishAndInstall(`plugin.${format}`, archive);
      expect(installed.exitCode).toBe(1);
      expect(installed.stderr).toContain("Code: OCM_INSTALL_UNSAFE_ARCHIVE");
      expect(installed.stderr).toContain('"p" is a symbolic link to .');
      expect(await readdir(victim)).toEqual([]);
      expect(await readdir(pluginDir)).toEqual([]);
    },
  );
});
