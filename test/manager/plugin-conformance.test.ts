// `ocm plugin verify` as a library: the contract checks pass on plugins that keep it (TypeScript through
// the SDK, Python with the standard library) and fail, with reasons, on one that does not (issue 5).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkConformance } from "../../manager/host/conformance/check-conformance.js";
import type { ConformanceReport } from "../../manager/host/conformance/conformance-report.js";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { MINIMAL_PLUGIN, writeFaultyPlugin } from "../helpers/minimal-plugin.js";
import { useTempDir } from "../helpers/temp-dir.js";

function byName(report: ConformanceReport) {
  return Object.fromEntries(report.checks.map((check) => [check.name, check]));
}

describe("checkConformance", () => {
  it("passes every check on the echo plugin built with the SDK", async () => {
    const report = await checkConformance({
      path: await bundleExecutable("test/fixtures/plugins/echo/main.ts", "echo-sdk"),
    });
    expect(report.checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.plugin).toMatchObject({ name: "echo", version: "1.0.0", protocol: "1.0.0" });
    const checks = byName(report);
    for (const name of [
      "capabilities",
      "server unix",
      "unix secret",
      "server tcp",
      "tcp secret",
      "idle timeout",
      "sigterm",
      "parent death",
    ]) {
      expect(checks[name]?.status, name).toBe("pass");
    }
    expect(checks["smoke componentLister Echo/v1"]?.detail).toContain("answered 200 with a valid body");
    expect(checks["malformed credentialRepository EchoCredentials/v1"]?.detail).toContain(
      "400 OCM_RPC_BAD_REQUEST",
    );
    expect(checks["smoke resourceRepository Generated/v1"]?.status).toBe("skip");
    expect(checks["transfer resourceRepository Generated/v1"]?.detail).toContain(
      "read a chunked upload whole",
    );
    expect(checks["transfer componentVersionRepository Echo/v1"]?.status).toBe("pass");
    expect(checks["connections"]?.detail).toContain("keeps the connection open");
  });

  it("passes every check, blob round trips included, on the docs' minimal plugin served by http.server with its defaults (#11)", async () => {
    const report = await checkConformance({ path: MINIMAL_PLUGIN });
    expect(report.checks.filter((c) => c.status !== "pass")).toEqual([]);
    const checks = byName(report);
    expect(checks["transfer componentVersionRepository DirRepository/v1"]?.detail).toMatch(
      /uploads with content-length and chunked stored whole; blob read back byte for byte; .* unknown request fields ignored; a missing version is 404 OCM_REPOSITORY_NOT_FOUND/,
    );
    expect(checks["connections"]?.detail).toContain(
      "closes the connection after each answer and says so (HTTP/1.0)",
    );
  });

  it("fails a plugin that reads content-length bodies only, naming chunked uploads as the cause (#11)", async () => {
    const report = await checkConformance({
      path: await writeFaultyPlugin(await useTempDir(), "contentLengthOnly"),
    });
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => c.status === "fail").map((c) => c.name)).toEqual([
      "transfer componentVersionRepository DirRepository/v1",
    ]);
    expect(byName(report)["transfer componentVersionRepository DirRepository/v1"]?.detail).toMatch(
      /^add-local-blob stored 0 of \d+ bytes sent with transfer-encoding: chunked: the plugin reads content-length bodies only/,
    );
  });

  it("fails a plugin that answers a missing version with its own code, naming the code transfer acts on (#11)", async () => {
    const report = await checkConformance({
      path: await writeFaultyPlugin(await useTempDir(), "ownNotFoundCode"),
    });
    expect(report.ok).toBe(false);
    expect(byName(report)["transfer componentVersionRepository DirRepository/v1"]?.detail).toContain(
      "get-component-version of a version that does not exist answered 422 OCM_DIR_MISSING",
    );
    expect(byName(report)["transfer componentVersionRepository DirRepository/v1"]?.detail).toContain(
      "answer 404 OCM_REPOSITORY_NOT_FOUND",
    );
  });

  it("fails a plugin that closes each connection without saying so, telling it to keep it or answer connection: close (#11)", async () => {
    const report = await checkConformance({
      path: await writeFaultyPlugin(await useTempDir(), "silentClose"),
    });
    expect(report.checks.filter((c) => c.status === "fail").map((c) => c.name)).toEqual(["connections"]);
    expect(byName(report)["connections"]?.detail).toBe(
      "the server closed the connection after the first answer without saying so; keep it open (HTTP/1.1 with content-length or chunked on every answer, each request body read to its end) or answer `connection: close` (Python's http.server with its default HTTP/1.0 does)",
    );
  });

  it("passes every check on the Python echo plugin", async () => {
    const report = await checkConformance({
      path: join(REPO_ROOT, "test/fixtures/plugins/python/echo_plugin.py"),
    });
    expect(report.checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.plugin?.name).toBe("echo-py");
  });

  it("fails a plugin that ignores the secret, idles forever, leaks its socket and outlives its parent, saying why", async () => {
    const report = await checkConformance({ path: join(REPO_ROOT, "test/fixtures/plugins/verify/lax.mjs") });
    expect(report.ok).toBe(false);
    const checks = byName(report);
    expect(checks["capabilities"]?.status).toBe("pass");
    expect(checks["server unix"]?.detail).toContain("printed no ready line");
    expect(checks["tcp secret"]).toMatchObject({ status: "fail" });
    expect(checks["tcp secret"]?.detail).toMatch(/^\/v1\/health without a secret answered 200, expected 401/);
    expect(checks["smoke componentLister Lax/v1"]?.detail).toMatch(
      /response body field components: .*expected array/,
    );
    expect(checks["malformed componentLister Lax/v1"]?.detail).toContain("expected status 400, got 500");
    expect(checks["unknown operation"]?.detail).toContain("expected status 404, got 500");
    expect(checks["idle timeout"]?.detail).toContain(
      'still running 6000 ms after its last request with idleTimeout "1s"',
    );
    expect(checks["sigterm"]?.detail).toMatch(/left its socket .* behind/);
    expect(checks["parent death"]?.detail).toContain("still running 5000 ms after its parent was killed");
  });

  it("fails a plugin that still wants the secret in --config, naming the cause and the fix (#10)", async () => {
    const report = await checkConformance({
      path: join(REPO_ROOT, "test/fixtures/plugins/verify/argv-secret.mjs"),
    });
    expect(report.ok).toBe(false);
    const checks = byName(report);
    // On TCP it exits 78 because `secret` is missing from --config.
    expect(checks["server tcp"]?.status).toBe("fail");
    expect(checks["server tcp"]?.detail).toContain("server exited with 78 before it answered health");
    expect(checks["server tcp"]?.detail).toContain("field secret: is required for tcp");
    expect(checks["server tcp"]?.detail).toContain('"secrets":"stdin"');
    expect(checks["server tcp"]?.detail).toContain("the first line on stdin");
    // On a unix socket it serves anyone, because it never read the secret the host sent.
    expect(checks["server unix"]?.status).toBe("pass");
    expect(checks["unix secret"]?.status).toBe("fail");
    expect(checks["unix secret"]?.detail).toContain("/v1/health without a secret answered 200, expected 401");
    expect(checks["unix secret"]?.detail).toContain("does not use the secret the host sent");
    expect(checks["unix secret"]?.detail).toContain("Read that line before listening");
  });

  it("stops after capabilities when the document is invalid, and skips the rest with the reason", async () => {
    const report = await checkConformance({
      path: join(REPO_ROOT, "test/fixtures/plugins/broken/invalid-json.sh"),
    });
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toMatchObject({ name: "capabilities", status: "fail" });
    expect(report.checks[0]?.detail).toContain("OCM_DISCOVERY_INVALID_JSON");
    expect(
      report.checks
        .slice(1)
        .every((c) => c.status === "skip" && c.detail === "needs a valid capabilities document"),
    ).toBe(true);
  });
});
