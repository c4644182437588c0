// `ocm plugin verify` as a library: the contract checks pass on plugins that keep it (TypeScript through
// the SDK, Python with the standard library) and fail, with reasons, on one that does not (issue 5).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { verifyPlugin } from "../../manager/verify/verify-plugin.js";
import type { VerifyReport } from "../../manager/verify/verify-report.js";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";

function byName(report: VerifyReport) {
  return Object.fromEntries(report.checks.map((check) => [check.name, check]));
}

describe("verifyPlugin", () => {
  it("passes every check on the echo plugin built with the SDK", async () => {
    const report = await verifyPlugin({
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
  });

  it("passes every check on the Python echo plugin", async () => {
    const report = await verifyPlugin({
      path: join(REPO_ROOT, "test/fixtures/plugins/python/echo_plugin.py"),
    });
    expect(report.checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.plugin?.name).toBe("echo-py");
  });

  it("fails a plugin that ignores the secret, idles forever, leaks its socket and outlives its parent, saying why", async () => {
    const report = await verifyPlugin({ path: join(REPO_ROOT, "test/fixtures/plugins/verify/lax.mjs") });
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
    const report = await verifyPlugin({
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
    const report = await verifyPlugin({
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
