// docs/plugin-authors.md opens with a complete plugin under 100 lines (#11): the credential repository it
// shows inline is test/fixtures/plugins/minimal/file_credentials.py byte for byte, it passes
// `ocm plugin verify`, and a real `ocm transfer` into a registry that wants a password gets it from it.
import { chmod, copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { cliEnv, ocmCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { REGISTRY_PASSWORD, REGISTRY_USER, startRegistry } from "../helpers/registry.js";

const PLUGIN = join(REPO_ROOT, "test/fixtures/plugins/minimal/file_credentials.py");
const MARKER = "<!-- minimal-plugin: test/fixtures/plugins/minimal/file_credentials.py -->\n```python\n";

async function inlinePlugin(): Promise<string> {
  const doc = await readFile(join(REPO_ROOT, "docs/plugin-authors.md"), "utf8");
  const start = doc.indexOf(MARKER);
  expect(start, "the doc marks its inline credential plugin").toBeGreaterThanOrEqual(0);
  const code = doc.slice(start + MARKER.length);
  return code.slice(0, code.indexOf("```\n"));
}

describe("the credential plugin in docs/plugin-authors.md (#11)", () => {
  it("is the fixture byte for byte, under 100 lines, and passes ocm plugin verify", async () => {
    const fixture = await readFile(PLUGIN, "utf8");
    expect(await inlinePlugin()).toBe(fixture);
    expect(fixture.trimEnd().split("\n").length).toBeLessThan(100);
    const ocm = await ocmCli();
    const verify = await ocm("plugin", "verify", PLUGIN);
    expect(verify.stderr).toBe("");
    expect(verify.exitCode).toBe(0);
  });

  it("gives a real ocm transfer the registry's password, which fails without it", async () => {
    const ocm = await ocmCli();
    const home = ocm.home;
    const pluginDir = join(home, "plugins");
    await mkdir(pluginDir);
    await copyFile(PLUGIN, join(pluginDir, "file-credentials"));
    await chmod(join(pluginDir, "file-credentials"), 0o755);
    await writeFile(join(home, "hello.txt"), "hello\n");
    await writeFile(
      join(home, "constructor.yaml"),
      "components:\n  - name: acme.org/hello\n    version: 1.0.0\n    provider: {name: acme.org}\n" +
        "    resources:\n      - {name: readme, type: blob, input: {type: file, path: hello.txt}}\n",
    );
    const added = await ocm(
      "add",
      "cv",
      "--create",
      "--repository",
      "./ctf",
      "--constructor",
      "constructor.yaml",
    );
    expect(added.exitCode).toBe(0);
    const registry = await startRegistry({ auth: "basic" });
    try {
      await writeFile(join(home, "creds.json"), JSON.stringify({}));
      await writeFile(
        join(home, "ocmconfig.yaml"),
        "type: credentials.config.ocm.software\nrepositories:\n" +
          `  - repository: {type: FileCredentials/v1, path: ${join(home, "creds.json")}}\n`,
      );
      const transfer = () =>
        execa(
          ocm.path,
          [
            "--plugin-dir",
            pluginDir,
            "--config",
            "ocmconfig.yaml",
            "transfer",
            "./ctf//acme.org/hello:1.0.0",
            `${registry.url}/mirror`,
          ],
          { reject: false, cwd: home, env: cliEnv(home) },
        );
      const refused = await transfer();
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toMatch(/401|unauthori[sz]ed|credentials/i);

      await writeFile(
        join(home, "creds.json"),
        JSON.stringify({ [registry.host]: { username: REGISTRY_USER, password: REGISTRY_PASSWORD } }),
      );
      const done = await transfer();
      expect(done.stderr).toBe("");
      expect(done.exitCode).toBe(0);
      expect(done.stdout).not.toContain(REGISTRY_PASSWORD);
      const got = await ocm(
        "--plugin-dir",
        pluginDir,
        "--config",
        "ocmconfig.yaml",
        "get",
        "cv",
        `${registry.url}/mirror//acme.org/hello:1.0.0`,
        "-o",
        "json",
      );
      expect(JSON.parse(got.stdout)).toMatchObject({
        component: { name: "acme.org/hello", version: "1.0.0" },
      });
    } finally {
      await registry.stop();
    }
  });
});
