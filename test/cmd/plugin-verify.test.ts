// `ocm plugin verify` as a user runs it: a table or JSON on stdout, exit code 0 or 1 (issue 5).
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { writeFaultyPlugin } from "../helpers/minimal-plugin.js";
import { useTempDir } from "../helpers/temp-dir.js";

async function ocm(...args: string[]) {
  return execa(await bundleExecutable("cmd/ocm.ts", "ocm"), args, {
    reject: false,
    env: { OCM_PLUGIN_DIR: "" },
  });
}

describe("ocm plugin verify", () => {
  it("prints a table of passed checks and exits 0 for a plugin that keeps the contract", async () => {
    const result = await ocm(
      "plugin",
      "verify",
      join(REPO_ROOT, "test/fixtures/plugins/python/echo_plugin.py"),
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^echo-py 1\.0\.0 \(protocol 1\.0\.0\)\nCHECK\s+RESULT\s+DETAIL/);
    expect(result.stdout).toMatch(/tcp secret\s+PASS\s+401 without the secret/);
    expect(result.stdout.trimEnd().endsWith("PASS")).toBe(true);
  });

  it("prints JSON for CI with -o json and exits 1 naming the failed checks", async () => {
    const result = await ocm(
      "plugin",
      "verify",
      join(REPO_ROOT, "test/fixtures/plugins/verify/lax.mjs"),
      "-o",
      "json",
    );
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; checks: { name: string; status: string }[] };
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.name === "tcp secret")?.status).toBe("fail");
    expect(result.stderr).toContain("Code: OCM_VERIFY_FAILED");
    expect(result.stderr).toMatch(/failed 8 contract checks: .*unix secret.*tcp secret/);
  });

  it("fails a plugin that answers an upload it refuses before reading the body, naming the cause", async () => {
    // The host, still writing the upload, would get a broken pipe instead of the plugin's answer.
    const result = await ocm(
      "plugin",
      "verify",
      await writeFaultyPlugin(await useTempDir(), "answersBeforeReading"),
    );
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(
      /connections\s+FAIL\s+the server answered an upload it refused before reading its body.*\((EPIPE|ECONNRESET)\)/,
    );
    expect(result.stdout).toContain("Read what is left of the request body before answering");
    expect(result.stderr).toMatch(/failed 1 contract check: connections/);
  });

  it("fails a plugin that serves one connection at a time, naming the cause", async () => {
    // The host holds several connections to a plugin; a transfer within one plugin would wait until timeout.
    const result = await ocm("plugin", "verify", await writeFaultyPlugin(await useTempDir(), "oneAtATime"));
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/connections\s+FAIL\s+the server answers one connection at a time/);
    expect(result.stderr).toMatch(/failed 1 contract check: connections/);
  });

  it("exits 1 for a plugin that wants the secret in --config, telling the author to read it from stdin (#10)", async () => {
    const result = await ocm(
      "plugin",
      "verify",
      join(REPO_ROOT, "test/fixtures/plugins/verify/argv-secret.mjs"),
    );
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/unix secret\s+FAIL\s+\/v1\/health without a secret answered 200/);
    expect(result.stdout).toMatch(/server tcp\s+FAIL\s+server exited with 78/);
    expect(result.stdout).toContain('"secrets":"stdin"');
    expect(result.stderr).toMatch(/Code: OCM_VERIFY_FAILED/);
  });
});
