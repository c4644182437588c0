// Nothing is left behind for good after `ocm` is SIGKILLed (#10 item 6): the plugins it ran end within
// seconds (the SDK's lifeline), and the next `ocm` run removes the dead run's socket directory, temp
// directories and runtime record and kills what is left of its plugin groups.
import { chmod, copyFile, mkdir, readFile, readdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it, onTestFinished } from "vitest";
import type { HostRecord } from "../../manager/host/runtime/host-record.js";
import { cliEnv, ocmCli } from "../helpers/cli.js";
import { bundleExecutable } from "../helpers/executables.js";
import { installEcho } from "../helpers/install-echo.js";
import { groupProcesses, waitFor } from "../helpers/processes.js";

/** A CLI run with its own runtime dir (XDG_RUNTIME_DIR) and $TMPDIR inside the test's home. */
async function isolatedCli() {
  const ocm = await ocmCli();
  const runtime = join(ocm.home, "xdg-run");
  const tmp = join(ocm.home, "tmp");
  await mkdir(runtime, { mode: 0o700 });
  await mkdir(tmp, { mode: 0o700 });
  const env = { ...cliEnv(ocm.home), XDG_RUNTIME_DIR: runtime, TMPDIR: tmp };
  const start = (...args: string[]) => execa(ocm.path, args, { reject: false, cwd: ocm.home, env });
  return { home: ocm.home, records: join(runtime, "ocm"), tmp, start };
}

/** The runtime records in `dir` (none when it does not exist). */
async function readRecords(dir: string): Promise<HostRecord[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const records: HostRecord[] = [];
  for (const name of names.filter((n) => /^host-.*\.json$/.test(n))) {
    // A run that ends between the listing and the read removes its record: it is then not there.
    const text = await readFile(join(dir, name), "utf8").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (text !== undefined) records.push(JSON.parse(text) as HostRecord);
  }
  return records;
}

/** Waits until a record lists a running plugin server with its group complete, and returns the record. */
async function recordWithServer(dir: string, groupSize: number): Promise<HostRecord> {
  let found: HostRecord | undefined;
  const ok = await waitFor(async () => {
    found = (await readRecords(dir)).find((r) => r.processes.some((p) => p.role === "server"));
    const pgid = found?.processes.find((p) => p.role === "server")?.pgid;
    return typeof pgid === "number" && (await groupProcesses(pgid)).length >= groupSize;
  }, 15_000);
  expect(ok).toBe(true);
  return found as HostRecord;
}

function killGroupsAfterTest(record: HostRecord): void {
  onTestFinished(() => {
    for (const proc of record.processes) {
      try {
        if (proc.pgid) process.kill(-proc.pgid, "SIGKILL");
      } catch {
        // Gone, as it should be.
      }
    }
  });
}

async function killed(run: { kill(signal: NodeJS.Signals): boolean } & PromiseLike<unknown>): Promise<void> {
  run.kill("SIGKILL");
  await run;
}

/** A home whose config prefers external plugins, with the stubborn plugin (or a wrapper of it) installed. */
async function stubbornSetup(home: string, wrapped: boolean) {
  const dir = join(home, "plugins");
  await mkdir(dir, { recursive: true });
  const bundled = await bundleExecutable("test/fixtures/plugins/stubborn/main.ts", "stubborn");
  if (wrapped) {
    // A launcher that does not `exec`: it leads the group, and its own background child outlives the plugin.
    const real = join(home, "stubborn.mjs");
    await copyFile(bundled, real);
    await chmod(real, 0o755);
    await writeFile(join(dir, "stubborn"), `#!/bin/sh\nsleep 30 &\n"${real}" "$@"\n`, { mode: 0o755 });
  } else {
    await copyFile(bundled, join(dir, "stubborn.mjs"));
    await chmod(join(dir, "stubborn.mjs"), 0o755);
  }
  const config = join(home, "prefer-external.yaml");
  await writeFile(config, "type: plugin.config.ocm.software/v1\nprefer: external\n");
  const ref = `ctf::${join(home, "archive")}//acme.org/app:1.0.0`;
  return ["--config", config, "--plugin-dir", dir, "get", "cv", ref];
}

describe("after ocm is killed with SIGKILL", () => {
  it("leaves no plugin process within 5 s, though the plugin ignores SIGTERM and forked, and the next run removes the socket directory and record (#10)", async () => {
    const cli = await isolatedCli();
    const run = cli.start(...(await stubbornSetup(cli.home, false)));
    // The plugin, and the grandchild it forked (sh, then sleep), all in the plugin's group; the call hangs.
    const record = await recordWithServer(cli.records, 3);
    killGroupsAfterTest(record);
    const pgid = record.processes.find((p) => p.role === "server")?.pgid as number;
    const socketDir = record.paths.find((p) => p.kind === "socketDir")?.path as string;
    expect(socketDir.startsWith(cli.tmp)).toBe(true);

    await killed(run);
    expect(await waitFor(async () => (await groupProcesses(pgid)).length === 0, 5_000)).toBe(true);

    expect((await cli.start("plugin", "list")).exitCode).toBe(0);
    expect(await readdir(cli.tmp)).toEqual([]);
    expect(await readRecords(cli.records)).toEqual([]);
  });

  it("the next run kills what is left of a dead run's plugin group and removes its socket directory (#10)", async () => {
    const cli = await isolatedCli();
    const run = cli.start(...(await stubbornSetup(cli.home, true)));
    // The wrapper, its `sleep`, the plugin, and the plugin's grandchild (sh, then sleep).
    const record = await recordWithServer(cli.records, 5);
    killGroupsAfterTest(record);
    const pgid = record.processes.find((p) => p.role === "server")?.pgid as number;

    await killed(run);
    // The plugin ends itself (its lifeline), but it does not lead the group: the wrapper's `sleep` stays.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await groupProcesses(pgid)).length).toBeGreaterThan(0);

    expect((await cli.start("plugin", "list")).exitCode).toBe(0);
    expect(await groupProcesses(pgid)).toEqual([]);
    expect(await readdir(cli.tmp)).toEqual([]);
    expect(await readRecords(cli.records)).toEqual([]);
  });

  it("a killed `ocm plugin verify` leaves no ocm-verify-* directory after the next run (#10)", async () => {
    const cli = await isolatedCli();
    const { path } = await installEcho();
    const run = cli.start("plugin", "verify", path);
    expect(
      await waitFor(async () => (await readdir(cli.tmp)).some((n) => n.startsWith("ocm-verify-")), 15_000),
    ).toBe(true);
    const [record] = await readRecords(cli.records);
    expect(record?.paths).toEqual([{ kind: "tempDir", path: expect.stringContaining("ocm-verify-") }]);
    killGroupsAfterTest(record as HostRecord);

    await killed(run);
    expect((await readdir(cli.tmp)).some((n) => n.startsWith("ocm-verify-"))).toBe(true);

    expect((await cli.start("plugin", "list")).exitCode).toBe(0);
    expect(await readdir(cli.tmp)).toEqual([]);
    expect(await readRecords(cli.records)).toEqual([]);
  });

  it("keeps no records in a runtime directory that is not its own, says why, and still works (#10)", async () => {
    const cli = await isolatedCli();
    const elsewhere = join(cli.home, "someone-elses");
    await mkdir(elsewhere);
    await symlink(elsewhere, cli.records);
    const result = await cli.start("--log-level", "warn", "plugin", "list");
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("OCM_RUNTIME_DIR_UNSAFE");
    expect(await readdir(elsewhere)).toEqual([]);
  });
});
