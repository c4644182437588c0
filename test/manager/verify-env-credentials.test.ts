// The Python example plugin (plugins/examples/env-credentials.py) keeps the contract and does real work:
// credentials from environment variables, through the manager like any plugin (issue 5).
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createPluginManager } from "../../manager/index.js";
import { checkConformance } from "../../manager/host/conformance/check-conformance.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const PLUGIN = join(REPO_ROOT, "plugins/examples/env-credentials.py");

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the env-credentials example plugin", () => {
  it("passes ocm plugin verify", async () => {
    const report = await checkConformance({ path: PLUGIN });
    expect(report.checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.plugin).toMatchObject({
      name: "env-credentials",
      types: { "EnvCredentials/v1": ["credentialRepository", "action"] },
    });
  });

  it("resolves credentials from OCM_CRED_<HOST>[_<PORT>]_<KEY> variables through the manager", async () => {
    const home = await useTempDir();
    const dir = join(home, "plugins");
    await mkdir(dir);
    await copyFile(PLUGIN, join(dir, "env-credentials.py"));
    vi.stubEnv("OCM_CRED_GHCR_IO_USERNAME", "me");
    vi.stubEnv("OCM_CRED_GHCR_IO_PASSWORD", "s3cret");
    vi.stubEnv("OCM_CRED_REGISTRY_LOCAL_5000_TOKEN", "t0ken");
    vi.stubEnv("ACME_GHCR_IO_IDENTITY_TOKEN", "acme-token");
    const manager = createPluginManager({
      pluginDirs: [dir],
      cacheFile: false,
      env: {},
      home,
      handleSignals: false,
      logLevel: "silent",
    });
    try {
      const creds = await manager.getPlugin("env", "credentialRepository");
      const config = { type: "EnvCredentials/v1" };
      expect(await creds.consumerIdentity({ config })).toEqual({ identity: null });
      expect(await creds.resolve({ config, identity: { type: "OCIRegistry", hostname: "ghcr.io" } })).toEqual(
        {
          credentials: { username: "me", password: "s3cret" },
        },
      );
      expect(await creds.resolve({ config, identity: { hostname: "registry.local", port: "5000" } })).toEqual(
        {
          credentials: { token: "t0ken" },
        },
      );
      expect(await creds.resolve({ config, identity: { hostname: "ghcr.io", port: "443" } })).toEqual({
        credentials: { username: "me", password: "s3cret" },
      });
      expect(
        await creds.resolve({ config: { ...config, prefix: "ACME" }, identity: { hostname: "ghcr.io" } }),
      ).toEqual({
        credentials: { identityToken: "acme-token" },
      });
      expect(await creds.resolve({ config, identity: { hostname: "quay.io" } })).toEqual({
        credentials: null,
      });
      const bad = await creds
        .resolve({ config: { ...config, prefix: "lower" }, identity: { hostname: "x" } })
        .catch((e: unknown) => e);
      expect(bad).toMatchObject({ code: "OCM_RPC_BAD_REQUEST" });
      expect((bad as Error).message).toContain("field config.prefix");
    } finally {
      await manager.close();
    }
  });
});
