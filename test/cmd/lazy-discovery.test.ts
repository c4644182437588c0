// Issue #11: plugin directories are searched only when a command needs a plugin no built-in one can stand
// for. A fixture plugin counts its `capabilities` runs in a marker file: commands on a CTF never run it; a
// reference to an external type, `plugin list` and `prefer: external` in the config file do.
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ocmCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";

const CTF = join(REPO_ROOT, "test/fixtures/ocm/ctf-v0.20-localblob/transport-archive");
const COMPONENT = "github.com/acme.org/helloworld";
const FILE_REPOSITORY = join(REPO_ROOT, "test/fixtures/plugins/file-repository/file_repository.py");

/** `ocm` with a plugin dir holding the Python file repository and a plugin that counts its discovery. */
async function setup() {
  const cli = await ocmCli();
  const dir = join(cli.home, "plugins");
  await mkdir(dir);
  await copyFile(FILE_REPOSITORY, join(dir, "file-repository"));
  const marker = join(cli.home, "capabilities-runs");
  await writeFile(
    join(dir, "counted.sh"),
    [
      "#!/bin/sh",
      `echo run >> '${marker}'`,
      `echo '{"type":{"Counted/v1":["componentLister"]},"name":"counted","version":"0.1.0","protocol":"1.0.0"}'`,
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  const ocm = (...args: string[]) => cli("--plugin-dir", dir, ...args);
  const ok = async (...args: string[]) => {
    const result = await ocm(...args);
    expect(result.stderr, `ocm ${args.join(" ")}`).toBe("");
    expect(result.exitCode, `ocm ${args.join(" ")}`).toBe(0);
    return result.stdout;
  };
  /** How often discovery ran the counting plugin since the last question; the cache is cold again after. */
  const runs = async () => {
    const count = (await readFile(marker, "utf8").catch(() => "")).split("\n").filter(Boolean).length;
    await rm(marker, { force: true });
    await rm(join(cli.home, "cache"), { recursive: true, force: true });
    return count;
  };
  return { ocm, ok, runs, home: cli.home };
}

describe("discovery of external plugins (#11)", () => {
  it("does not search the plugin directories for commands that built-in plugins serve", async () => {
    const { ok, runs, home } = await setup();
    expect(await ok("get", "cv", `${CTF}//${COMPONENT}`)).toContain(COMPONENT);
    await ok("get", "cv", `ctf::${CTF}//${COMPONENT}:1.0.0`, "-o", "yaml");
    await ok("get", "resources", `CommonTransportFormat/v1::{"filePath":"${CTF}"}//${COMPONENT}:1.0.0`);
    await ok("transfer", "cv", "-q", `${CTF}//${COMPONENT}:1.0.0`, join(home, "copy"));
    expect(await runs()).toBe(0);
  });

  it("searches them for a reference to a type only an external plugin serves", async () => {
    const { ok, runs, home } = await setup();
    const store = join(home, "store");
    await ok("transfer", "cv", "-q", `${CTF}//${COMPONENT}:1.0.0`, `filerepo::${store}`);
    expect(await runs()).toBe(1);
    expect(await ok("get", "cv", `FileRepository/v1::{"path":"${store}"}//${COMPONENT}`)).toContain("1.0.0");
    expect(await runs()).toBe(1);
  });

  it("searches them for plugin list", async () => {
    const { ok, runs } = await setup();
    expect(await ok("plugin", "list")).toContain("counted");
    expect(await runs()).toBe(1);
  });

  it("searches them when the config file lets external plugins win, globally or for one plugin", async () => {
    const { ok, runs, home } = await setup();
    const config = join(home, ".ocmconfig");
    await writeFile(config, "type: plugin.config.ocm.software/v1\nprefer: external\n");
    expect(await ok("get", "cv", `${CTF}//${COMPONENT}`)).toContain(COMPONENT);
    expect(await runs()).toBe(1);
    await writeFile(
      config,
      "type: plugin.config.ocm.software/v1\nplugins:\n  file-repository:\n    prefer: external\n",
    );
    expect(await ok("get", "cv", `${CTF}//${COMPONENT}`)).toContain(COMPONENT);
    expect(await runs()).toBe(1);
  });
});
