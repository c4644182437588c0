// `ocm plugin list|info` as a user runs them: a real CLI process, real plugin files on disk.
import { chmod, copyFile, mkdir, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

async function setup() {
  const home = await useTempDir();
  const dir = join(home, "plugins");
  await mkdir(dir, { recursive: true });
  await copyFile(
    await bundleExecutable("test/fixtures/plugins/echo/main.ts", "echo-sdk"),
    join(dir, "echo.mjs"),
  );
  await chmod(join(dir, "echo.mjs"), 0o755);
  await writeFile(join(dir, "noisy"), "#!/bin/sh\necho 'not json'\n", { mode: 0o755 });
  const ocm = await bundleExecutable("cmd/ocm.ts", "ocm");
  const run = (...args: (string | Record<string, string>)[]) =>
    execa(
      ocm,
      args.filter((a): a is string => typeof a === "string"),
      {
        reject: false,
        env: {
          HOME: home,
          XDG_CACHE_HOME: join(home, "cache"),
          OCM_PLUGIN_DIR: "",
          COLUMNS: "",
          ...args.find((a) => typeof a === "object"),
        },
      },
    );
  return { home, dir, run };
}

describe("ocm plugin list", () => {
  it("shows built-in and external plugins, and a broken one with its reason, without failing", async () => {
    const { dir, run } = await setup();
    const result = await run("--plugin-dir", dir, "plugin", "list");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^ID\s+SOURCE\s+VERSION\s+STATE\s+TYPES\s+PATH/);
    expect(result.stdout).toMatch(/ctf\s+builtin/);
    expect(result.stdout).toMatch(/echo\s+external\s+1\.0\.0\s+ok\s+Echo\/v1 → componentVersionRepository/);
    expect(result.stdout).toMatch(/noisy\s+external\s+broken\s+\S*noisy\n/);
    expect(result.stdout).toMatch(/^noisy: broken: .*not JSON/im);
  });

  it("keeps every line within COLUMNS with a long broken reason and a plugin's control characters escaped, state as one word, reasons below (#16)", async () => {
    const { dir, run } = await setup();
    // A plugin file name and a capabilities document carrying ESC, CR and backspace, and a plugin whose
    // reason quotes a long line of output with a screen-clearing sequence in it.
    await writeFile(
      join(dir, "evil\x1b[2J"),
      `#!/bin/sh\nprintf '%s\\n' '{"type":{"Evil/v1":["componentLister"]},"name":"evil\\u001b[31m\\r\\b","protocol":"1.0.0"}'\n`,
      { mode: 0o755 },
    );
    await writeFile(
      join(dir, "long"),
      `#!/bin/sh\nprintf 'not json \\033[2J\\r${"but a very long line of output ".repeat(8)}\\n'\n`,
      { mode: 0o755 },
    );
    for (const columns of ["80", "120"]) {
      const list = await run("--plugin-dir", dir, "plugin", "list", { COLUMNS: columns });
      expect(list.exitCode).toBe(0);
      // eslint-disable-next-line no-control-regex -- no control character but the newline may be printed
      expect(list.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
      const lines = list.stdout.split("\n");
      expect(lines.filter((line) => line.length > Number(columns))).toEqual([]);
      expect(list.stdout).toMatch(/^evil\\x1b\[2J\s+external\s+ok\s/m);
      expect(list.stdout).toMatch(/^long\s+external\s+broken\s/m);
      expect(list.stdout).toMatch(/^noisy\s+external\s+broken\s/m);
      expect(list.stdout).toContain("long: broken:");
      expect(list.stdout.replace(/\n\s+/g, " ")).toContain(
        '"not json \\u001b[2J\\rbut a very long line of output',
      );
    }
    const info = await run("--plugin-dir", dir, "plugin", "info", "evil\x1b[2J", "-o", "json");
    expect(info.exitCode).toBe(0);
    expect(info.stdout).not.toContain("\x1b");
    expect(JSON.parse(info.stdout)).toMatchObject({ id: "evil\x1b[2J", state: "ok" });
  });

  it("prints machine-readable JSON with -o json", async () => {
    const { dir, run } = await setup();
    const result = await run("--plugin-dir", dir, "plugin", "list", "-o", "json");
    expect(result.exitCode).toBe(0);
    const parsed = JSON.parse(result.stdout) as { plugins: { id: string; state: string; code?: string }[] };
    const byId = Object.fromEntries(parsed.plugins.map((p) => [p.id, p]));
    expect(byId.echo?.state).toBe("ok");
    expect(byId.noisy).toMatchObject({ state: "broken", code: "OCM_DISCOVERY_INVALID_JSON" });
    expect(byId.ctf?.state).toBe("ok");
  });

  it("rejects an unknown output format with exit code 2", async () => {
    const { run } = await setup();
    const result = await run("plugin", "list", "-o", "xml");
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Code: OCM_USAGE_INVALID");
  });
});

describe("a plugin whose capabilities hang", () => {
  it("costs only the first command its timeout; plugin list shows it, --refresh and a changed file retry it (#10)", async () => {
    const home = await useTempDir();
    const dir = join(home, "plugins");
    await mkdir(dir, { recursive: true });
    await copyFile(join(REPO_ROOT, "test/fixtures/plugins/broken/hangs-counted.sh"), join(dir, "hangs.sh"));
    await chmod(join(dir, "hangs.sh"), 0o755);
    await writeFile(
      join(home, ".ocmconfig"),
      "type: plugin.config.ocm.software/v1\ndiscoveryTimeout: 500ms\n",
    );
    const marker = join(home, "runs");
    const runs = async () => (await readFile(marker, "utf8").catch(() => "")).split("\n").length - 1;
    const ocm = await bundleExecutable("cmd/ocm.ts", "ocm");
    const run = (...args: string[]) =>
      execa(ocm, ["--plugin-dir", dir, ...args], {
        reject: false,
        env: {
          HOME: home,
          XDG_CACHE_HOME: join(home, "cache"),
          OCM_PLUGIN_DIR: "",
          OCM_TEST_RUN_MARKER: marker,
        },
      });
    const ctf = join(REPO_ROOT, "test/fixtures/ocm/ctf-v0.20-localblob/transport-archive");
    const getCv = () => run("get", "cv", `${ctf}//github.com/acme.org/helloworld`);

    // A command that built-in plugins serve does not discover at all (#11); the first that does pays.
    expect((await getCv()).exitCode).toBe(0);
    expect(await runs()).toBe(0);
    expect((await run("plugin", "list")).exitCode).toBe(0);
    expect(await runs()).toBe(1);

    const list = await run("plugin", "list");
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(/hangs\s+external\s+broken\s+\S*hangs\.sh\n/);
    expect(list.stdout).toMatch(
      /^hangs: broken: capabilities timed out; asked again after \d{4}-\d\d-\d\dT[\d:.]+Z or when the file changes \(--refresh: now\)/m,
    );
    const json = JSON.parse((await run("plugin", "list", "-o", "json")).stdout) as {
      plugins: { id: string; code?: string; retryAt?: string }[];
    };
    expect(json.plugins.find((p) => p.id === "hangs")).toMatchObject({
      code: "OCM_DISCOVERY_TIMEOUT",
      retryAt: expect.stringMatching(/Z$/),
    });
    expect(await runs()).toBe(1);

    expect((await run("plugin", "list", "--refresh")).exitCode).toBe(0);
    expect(await runs()).toBe(2);

    const later = new Date(Date.now() + 5_000);
    await utimes(join(dir, "hangs.sh"), later, later);
    expect((await run("plugin", "list")).exitCode).toBe(0);
    expect(await runs()).toBe(3);
  });
});

describe("ocm plugin info", () => {
  it("shows the capabilities document of a plugin", async () => {
    const { dir, run } = await setup();
    const result = await run("--plugin-dir", dir, "plugin", "info", "echo", "-o", "json");
    expect(result.exitCode).toBe(0);
    const info = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(info).toMatchObject({
      id: "echo",
      source: "external",
      protocol: "1.0.0",
      aliases: { "Echo/v1": ["echo"] },
    });
  });

  it("names the known ids when the id is unknown, with exit code 1", async () => {
    const { dir, run } = await setup();
    const result = await run("--plugin-dir", dir, "plugin", "info", "nope");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('Error: no plugin with id "nope"');
    expect(result.stderr).toContain("Code: OCM_PLUGIN_UNKNOWN_ID");
    expect(result.stderr).toMatch(/Try: Known ids: .*echo/);
  });
});
