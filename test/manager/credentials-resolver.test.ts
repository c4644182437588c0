// The manager's credential resolver on a real ocm config file and real docker config files: consumers
// first (most specific wins), then listed repositories, then the default source of the identity's type
// (for OCI registries docker's default file, read by the credentials plugin); cached per identity.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { isOcmError, type Identity } from "../../core/index.js";
import { loadOcmConfig } from "../../manager/host/config/load-config.js";
import {
  createCredentialResolver,
  type CredentialResolver,
} from "../../manager/host/credentials/credential-resolver.js";
import { createPluginManager } from "../../manager/index.js";
import { credentialsPlugin } from "../../plugins/credentials/plugin.js";
import { ctfPlugin } from "../../plugins/ctf/plugin.js";
import { ociPlugin } from "../../plugins/oci/plugin.js";
import { useTempDir } from "../helpers/temp-dir.js";
import { installFakeHelper } from "../plugins/credentials/fake-helper.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

interface Setup {
  home: string;
  ocmconfig?: string;
  dockerConfig?: unknown;
  env?: Record<string, string | undefined>;
}

async function resolver(setup: Setup): Promise<CredentialResolver> {
  if (setup.ocmconfig !== undefined) await writeFile(join(setup.home, ".ocmconfig"), setup.ocmconfig);
  if (setup.dockerConfig !== undefined) {
    await mkdir(join(setup.home, ".docker"), { recursive: true });
    await writeFile(join(setup.home, ".docker", "config.json"), JSON.stringify(setup.dockerConfig));
  }
  // The in-process credentials plugin finds docker's default file as docker does: $DOCKER_CONFIG, $HOME.
  vi.stubEnv("HOME", setup.home);
  vi.stubEnv("DOCKER_CONFIG", setup.env?.["DOCKER_CONFIG"] ?? "");
  const manager = createPluginManager({
    builtins: [credentialsPlugin, ociPlugin, ctfPlugin],
    cacheFile: false,
    env: {},
    home: setup.home,
    handleSignals: false,
    logLevel: "silent",
  });
  onTestFinished(() => manager.close());
  const config = await loadOcmConfig({ home: setup.home });
  return createCredentialResolver({ manager, config });
}

const oci = (hostname: string, extra: Record<string, string> = {}): Identity => ({
  type: "OCIRegistry",
  hostname,
  ...extra,
});

const CONSUMERS = `
type: generic.config.ocm.software/v1
configurations:
  - type: credentials.config.ocm.software
    consumers:
      - identity: {type: OCIRegistry, hostname: ghcr.io}
        credentials:
          - type: Credentials/v1
            properties: {username: general, password: general-pw}
      - identity: {type: OCIRegistry, hostname: ghcr.io, pathprefix: acme}
        credentials:
          - type: Credentials
            properties: {username: acme, password: acme-pw}
      - identities:
          - {type: OCIRegistry/v1, hostname: localhost, port: 5000}
        credentials:
          - type: Credentials/v1
            properties: {username: local, password: local-pw}
`;

describe("createCredentialResolver", () => {
  it("answers from the ocm config's consumers, the most specific identity winning", async () => {
    const resolve = await resolver({ home: await useTempDir(), ocmconfig: CONSUMERS });
    expect(await resolve.resolve(oci("ghcr.io", { pathprefix: "acme/app" }))).toEqual({
      username: "acme",
      password: "acme-pw",
    });
    expect(await resolve.resolve(oci("ghcr.io", { pathprefix: "acme-other/app" }))).toEqual({
      username: "general",
      password: "general-pw",
    });
    expect(await resolve.resolve(oci("ghcr.io"))).toEqual({ username: "general", password: "general-pw" });
    expect(await resolve.resolve(oci("localhost", { port: "5000" }))).toEqual({
      username: "local",
      password: "local-pw",
    });
    expect(await resolve.resolve(oci("localhost", { port: "5001" }))).toBeUndefined();
  });

  it("resolves specs through the consumer identity their plugin names", async () => {
    const resolve = await resolver({ home: await useTempDir(), ocmconfig: CONSUMERS });
    expect(await resolve.resolveFor({ type: "OCIRegistry/v1", baseUrl: "http://localhost:5000" })).toEqual({
      username: "local",
      password: "local-pw",
    });
    expect(await resolve.resolveFor({ type: "ociArtifact", imageReference: "ghcr.io/acme/app:1.0" })).toEqual(
      {
        username: "acme",
        password: "acme-pw",
      },
    );
    expect(await resolve.resolveFor({ type: "CommonTransportFormat/v1", filePath: "/x" })).toBeUndefined();
  });

  it("falls back to the listed repositories, then to docker's default config file (#12)", async () => {
    const home = await useTempDir();
    const listed = join(home, "listed.json");
    await writeFile(listed, JSON.stringify({ auths: { "quay.io": { username: "listed", password: "p1" } } }));
    const ocmconfig = `${CONSUMERS}
    repositories:
      - repository: {type: DockerConfig/v1, dockerConfigFile: ${JSON.stringify(listed)}}
`;
    const resolve = await resolver({
      home,
      ocmconfig,
      dockerConfig: {
        auths: {
          "quay.io": { username: "default", password: "p2" },
          "registry.example.com": { username: "default", password: "p3" },
          "ghcr.io": { username: "default", password: "p4" },
        },
      },
    });
    expect(await resolve.resolve(oci("quay.io"))).toEqual({ username: "listed", password: "p1" });
    expect(await resolve.resolve(oci("registry.example.com"))).toEqual({
      username: "default",
      password: "p3",
    });
    expect(await resolve.resolve(oci("ghcr.io"))).toEqual({ username: "general", password: "general-pw" });
    expect(await resolve.resolve(oci("nothing.example.com"))).toBeUndefined();
  });

  it("reads $DOCKER_CONFIG/config.json instead of ~/.docker/config.json when it is set", async () => {
    const home = await useTempDir();
    const dir = join(home, "elsewhere");
    await mkdir(dir);
    await writeFile(
      join(dir, "config.json"),
      JSON.stringify({ auths: { "ghcr.io": { username: "env", password: "p" } } }),
    );
    const resolve = await resolver({
      home,
      dockerConfig: { auths: { "ghcr.io": { username: "home", password: "p" } } },
      env: { DOCKER_CONFIG: dir },
    });
    expect(await resolve.resolve(oci("ghcr.io"))).toEqual({ username: "env", password: "p" });
  });

  it("answers undefined with no ocm config and no docker config (anonymous access)", async () => {
    const resolve = await resolver({ home: await useTempDir() });
    expect(await resolve.resolve(oci("ghcr.io"))).toBeUndefined();
  });

  it("caches per identity for its lifetime", async () => {
    const home = await useTempDir();
    const resolve = await resolver({
      home,
      dockerConfig: { auths: { "ghcr.io": { username: "first", password: "p" } } },
    });
    expect(await resolve.resolve(oci("ghcr.io"))).toEqual({ username: "first", password: "p" });
    await writeFile(
      join(home, ".docker", "config.json"),
      JSON.stringify({ auths: { "ghcr.io": { username: "second", password: "p" } } }),
    );
    expect(await resolve.resolve({ hostname: "ghcr.io", type: "OCIRegistry" })).toEqual({
      username: "first",
      password: "p",
    });
    const fresh = await resolver({ home });
    expect(await fresh.resolve(oci("ghcr.io"))).toEqual({ username: "second", password: "p" });
  });

  it("asks a credential helper of the default docker config, and names a missing one", async () => {
    const helper = await installFakeHelper();
    const home = await useTempDir();
    const resolve = await resolver({
      home,
      dockerConfig: { credHelpers: { "helper.example.com": "test", "ghcr.io": "absent" } },
    });
    expect(await resolve.resolve(oci("helper.example.com"))).toEqual({
      username: "helper-user",
      password: "helper-s3cret",
    });
    await resolve.resolve(oci("helper.example.com"));
    expect(await helper.calls()).toEqual(["helper.example.com"]);
    const error = await resolve.resolve(oci("ghcr.io")).catch((e: unknown) => e);
    expect(isOcmError(error) && error.code).toBe("OCM_CREDENTIALS_HELPER_NOT_FOUND");
    expect((error as Error).message).toContain("docker-credential-absent");
  });

  it("rejects a malformed credentials entry naming the field, never the secret", async () => {
    const home = await useTempDir();
    const ocmconfig = `
type: credentials.config.ocm.software
consumers:
  - identity: {type: OCIRegistry, hostname: ghcr.io}
    credentials: "hunter2-secret"
`;
    const error = await resolver({ home, ocmconfig }).catch((e: unknown) => e);
    expect(isOcmError(error) && error.code).toBe("OCM_CREDENTIALS_INVALID");
    expect((error as Error).message).toContain("consumers.0.credentials");
    expect((error as Error).message).not.toContain("hunter2");
    expect(JSON.stringify((error as { details?: unknown }).details)).not.toContain("hunter2");
  });
});
