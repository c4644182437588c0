// The credentials plugin as its own executable behind a socket: the same answers and error codes as
// in-process, with the resolver of the manager in front of it.
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { isOcmError } from "../../../core/index.js";
import { loadOcmConfig } from "../../../manager/host/config/load-config.js";
import { createCredentialResolver } from "../../../manager/host/credentials/credential-resolver.js";
import { createPluginManager } from "../../../manager/index.js";
import { bundleExecutable } from "../../helpers/executables.js";
import { useTempDir } from "../../helpers/temp-dir.js";
import { installFakeHelper } from "./fake-helper.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the credentials plugin as an executable", () => {
  it("resolves docker config and helper credentials and reports a missing helper by code", async () => {
    await installFakeHelper();
    const home = await useTempDir();
    const dir = join(home, "plugins");
    await mkdir(dir);
    await copyFile(
      await bundleExecutable("plugins/credentials/main.ts", "credentials"),
      join(dir, "credentials"),
    );
    await mkdir(join(home, ".docker"));
    await writeFile(
      join(home, ".docker", "config.json"),
      JSON.stringify({
        auths: { "ghcr.io": { auth: Buffer.from("me:s3cret").toString("base64") } },
        credHelpers: { "helper.example.com": "test", "quay.io": "absent" },
      }),
    );
    await writeFile(
      join(home, ".ocmconfig"),
      [
        "type: credentials.config.ocm.software",
        "consumers:",
        "  - identity: {type: OCIRegistry, hostname: localhost, port: 5000}",
        "    credentials: [{type: Credentials/v1, properties: {username: local, password: pw}}]",
      ].join("\n"),
    );
    // The plugin process finds docker's default file under its own $HOME, as docker does.
    vi.stubEnv("HOME", home);
    vi.stubEnv("DOCKER_CONFIG", "");
    const manager = createPluginManager({
      pluginDirs: [dir],
      cacheFile: false,
      env: { HOME: home, PATH: process.env["PATH"] },
      home,
      handleSignals: false,
      logLevel: "silent",
    });
    onTestFinished(() => manager.close());
    const resolver = createCredentialResolver({ manager, config: await loadOcmConfig({ home }) });

    expect(await resolver.resolve({ type: "OCIRegistry", hostname: "ghcr.io" })).toEqual({
      username: "me",
      password: "s3cret",
    });
    expect(await resolver.resolve({ type: "OCIRegistry", hostname: "helper.example.com" })).toEqual({
      username: "helper-user",
      password: "helper-s3cret",
    });
    expect(await resolver.resolve({ type: "OCIRegistry", hostname: "localhost", port: "5000" })).toEqual({
      username: "local",
      password: "pw",
    });
    const error = await resolver
      .resolve({ type: "OCIRegistry", hostname: "quay.io" })
      .catch((e: unknown) => e);
    expect(isOcmError(error) && error.code).toBe("OCM_CREDENTIALS_HELPER_NOT_FOUND");
    expect((error as Error).message).toContain("docker-credential-absent");
  });
});
