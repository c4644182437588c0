// The DockerConfig/v1 and Credentials/v1 credential repositories through the plugin manager, on real
// docker config files and a real credential helper executable; secrets never show in error messages.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { isOcmError, type CredentialRepository, type Identity } from "../../../core/index.js";
import { createPluginManager } from "../../../manager/index.js";
import { credentialsPlugin } from "../../../plugins/credentials/plugin.js";
import { useTempDir } from "../../helpers/temp-dir.js";
import { installFakeHelper } from "./fake-helper.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

async function repository(type = "DockerConfig/v1"): Promise<CredentialRepository> {
  const manager = createPluginManager({
    builtins: [credentialsPlugin],
    cacheFile: false,
    env: {},
    home: await useTempDir(),
    handleSignals: false,
    logLevel: "silent",
  });
  onTestFinished(() => manager.close());
  return manager.getPlugin(type, "credentialRepository");
}

async function dockerConfig(content: unknown): Promise<string> {
  const dir = await useTempDir();
  const file = join(dir, "config.json");
  await writeFile(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

function oci(hostname: string, extra: Record<string, string> = {}): Identity {
  return { type: "OCIRegistry", hostname, ...extra };
}

async function resolveFrom(file: string, identity: Identity, spec: Record<string, unknown> = {}) {
  const repo = await repository();
  const { credentials } = await repo.resolve({
    config: { type: "DockerConfig/v1", dockerConfigFile: file, ...spec },
    identity,
  });
  return credentials;
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (isOcmError(error)) return { code: error.code, message: `${error.message} ${error.hint ?? ""}` };
    throw error;
  }
  throw new Error("expected a failure");
}

const basic = (user: string, pass: string) => Buffer.from(`${user}:${pass}`).toString("base64");

describe("the DockerConfig/v1 credential repository", () => {
  it("decodes an auths entry's base64 auth into username and password, for a key with or without scheme", async () => {
    const file = await dockerConfig({
      auths: {
        "ghcr.io": { auth: basic("ghuser", "gh:pass") },
        "https://quay.io": { auth: basic("quser", "qpass") },
      },
    });
    expect(await resolveFrom(file, oci("ghcr.io", { pathprefix: "acme/app" }))).toEqual({
      username: "ghuser",
      password: "gh:pass",
    });
    expect(await resolveFrom(file, oci("quay.io"))).toEqual({ username: "quser", password: "qpass" });
  });

  it("reads username/password fields and maps identitytoken and registrytoken", async () => {
    const file = await dockerConfig({
      auths: {
        "plain.example.com": { username: "u", password: "p" },
        "id.example.com": { identitytoken: "refresh-token" },
        "bearer.example.com": { registrytoken: "access-token" },
      },
    });
    expect(await resolveFrom(file, oci("plain.example.com"))).toEqual({ username: "u", password: "p" });
    expect(await resolveFrom(file, oci("id.example.com"))).toEqual({ identityToken: "refresh-token" });
    expect(await resolveFrom(file, oci("bearer.example.com"))).toEqual({ accessToken: "access-token" });
  });

  it("finds Docker Hub credentials under https://index.docker.io/v1/ for docker.io", async () => {
    const file = await dockerConfig({
      auths: { "https://index.docker.io/v1/": { auth: basic("hub", "hubpass") } },
    });
    expect(await resolveFrom(file, oci("docker.io", { pathprefix: "library/nginx" }))).toEqual({
      username: "hub",
      password: "hubpass",
    });
    expect(await resolveFrom(file, oci("index.docker.io"))).toEqual({ username: "hub", password: "hubpass" });
  });

  it("tells registries on other ports apart", async () => {
    const file = await dockerConfig({
      auths: { "localhost:5000": { username: "five", password: "thousand" } },
    });
    expect(await resolveFrom(file, oci("localhost", { port: "5000" }))).toEqual({
      username: "five",
      password: "thousand",
    });
    expect(await resolveFrom(file, oci("localhost", { port: "5001" }))).toBeNull();
    expect(await resolveFrom(file, oci("localhost"))).toBeNull();
  });

  it("answers null for unknown registries and for identities that are not OCI registries", async () => {
    const file = await dockerConfig({ auths: { "ghcr.io": { username: "u", password: "p" } } });
    expect(await resolveFrom(file, oci("quay.io"))).toBeNull();
    expect(await resolveFrom(file, { type: "Git", hostname: "ghcr.io" })).toBeNull();
  });

  it("runs the credHelpers helper with the server URL on stdin", async () => {
    const helper = await installFakeHelper();
    const file = await dockerConfig({
      auths: { "helper.example.com": { username: "file-user", password: "file-pass" } },
      credHelpers: { "helper.example.com": "test", "token.example.com": "test" },
    });
    expect(await resolveFrom(file, oci("helper.example.com"))).toEqual({
      username: "helper-user",
      password: "helper-s3cret",
    });
    expect(await resolveFrom(file, oci("token.example.com"))).toEqual({ identityToken: "refresh-t0ken" });
    expect(await helper.calls()).toEqual(["helper.example.com", "token.example.com"]);
  });

  it("asks the credsStore for registries without credentials in the file, Docker Hub by its index URL", async () => {
    const helper = await installFakeHelper();
    const file = await dockerConfig({
      auths: { "https://index.docker.io/v1/": {}, "inline.example.com": { username: "u", password: "p" } },
      credsStore: "test",
    });
    expect(await resolveFrom(file, oci("docker.io"))).toEqual({
      username: "hub-user",
      password: "hub-s3cret",
    });
    expect(await resolveFrom(file, oci("inline.example.com"))).toEqual({ username: "u", password: "p" });
    expect(await resolveFrom(file, oci("unknown.example.com"))).toBeNull();
    expect(await helper.calls()).toEqual(["https://index.docker.io/v1/", "unknown.example.com"]);
  });

  it("fails with the helper's binary name when the helper is not installed", async () => {
    await installFakeHelper();
    const file = await dockerConfig({ credHelpers: { "ghcr.io": "nosuch-helper" } });
    const error = await failure(resolveFrom(file, oci("ghcr.io")));
    expect(error.code).toBe("OCM_CREDENTIALS_HELPER_NOT_FOUND");
    expect(error.message).toContain("docker-credential-nosuch-helper");
  });

  it("bounds a helper that does not answer by helperTimeout", async () => {
    await installFakeHelper();
    const file = await dockerConfig({ credHelpers: { "slow.example.com": "test" } });
    const error = await failure(resolveFrom(file, oci("slow.example.com"), { helperTimeout: 300 }));
    expect(error.code).toBe("OCM_CREDENTIALS_HELPER_TIMEOUT");
    expect(error.message).toContain("300 ms");
  });

  it("reports a failing helper with its reason, and one that answers garbage without quoting it", async () => {
    await installFakeHelper();
    const file = await dockerConfig({ credsStore: "test" });
    const broken = await failure(resolveFrom(file, oci("broken.example.com")));
    expect(broken.code).toBe("OCM_CREDENTIALS_HELPER_FAILED");
    expect(broken.message).toContain("keychain locked");
    const garbage = await failure(resolveFrom(file, oci("garbage.example.com")));
    expect(garbage.code).toBe("OCM_CREDENTIALS_HELPER_FAILED");
    expect(garbage.message).not.toContain("garbage-s3cret");
    expect(garbage.message).not.toContain("leaky");
  });

  it("never shows a secret from a malformed config file in its error", async () => {
    const notJson = await dockerConfig('{"auths": {"ghcr.io": {"auth": "hunter2-secret"');
    const a = await failure(resolveFrom(notJson, oci("ghcr.io")));
    expect(a.code).toBe("OCM_CREDENTIALS_INVALID");
    expect(a.message).not.toContain("hunter2");

    const badAuth = await dockerConfig({ auths: { "ghcr.io": { auth: "hunter2-secret!" } } });
    const b = await failure(resolveFrom(badAuth, oci("ghcr.io")));
    expect(b.code).toBe("OCM_CREDENTIALS_INVALID");
    expect(b.message).toContain("auths.ghcr.io.auth");
    expect(b.message).not.toContain("hunter2");

    const noColon = await dockerConfig({
      auths: { "ghcr.io": { auth: Buffer.from("hunter2").toString("base64") } },
    });
    const c = await failure(resolveFrom(noColon, oci("ghcr.io")));
    expect(c.message).not.toContain("hunter2");
    expect(c.message).not.toContain(Buffer.from("hunter2").toString("base64"));

    const wrongType = await dockerConfig({ auths: { "ghcr.io": { password: 424242 } } });
    const d = await failure(resolveFrom(wrongType, oci("ghcr.io")));
    expect(d.message).toContain("auths.ghcr.io.password");
    expect(d.message).not.toContain("424242");
  });

  it("fails on a dockerConfigFile that does not exist, and reads $DOCKER_CONFIG when none is named", async () => {
    const dir = await useTempDir();
    const error = await failure(resolveFrom(join(dir, "missing.json"), oci("ghcr.io")));
    expect(error.code).toBe("OCM_CREDENTIALS_READ_FAILED");
    expect(error.message).toContain(join(dir, "missing.json"));

    await mkdir(join(dir, "docker"));
    await writeFile(
      join(dir, "docker", "config.json"),
      JSON.stringify({ auths: { "ghcr.io": { username: "env", password: "p" } } }),
    );
    vi.stubEnv("DOCKER_CONFIG", join(dir, "docker"));
    const repo = await repository("dockerconfig");
    const { credentials } = await repo.resolve({
      config: { type: "DockerConfig" },
      identity: oci("ghcr.io"),
    });
    expect(credentials).toEqual({ username: "env", password: "p" });
  });

  it("keeps the default credentials of OCIRegistry identities: docker's own file, naming it and the helper (#12)", async () => {
    const helper = await installFakeHelper();
    const dir = await useTempDir();
    await mkdir(join(dir, "docker"));
    const file = join(dir, "docker", "config.json");
    await writeFile(
      file,
      JSON.stringify({
        auths: { "ghcr.io": { username: "me", password: "p" } },
        credHelpers: { "helper.example.com": "test" },
      }),
    );
    vi.stubEnv("DOCKER_CONFIG", join(dir, "docker"));
    const repo = await repository("OCIRegistry");
    expect(await repo.resolve({ config: { type: "OCIRegistry" }, identity: oci("ghcr.io") })).toEqual({
      credentials: { username: "me", password: "p" },
      source: `docker config ${file}`,
    });
    expect(
      await repo.resolve({ config: { type: "OCIRegistry/v1" }, identity: oci("helper.example.com") }),
    ).toEqual({
      credentials: { username: "helper-user", password: "helper-s3cret" },
      source: `docker config ${file}, credential helper docker-credential-test`,
    });
    expect(await helper.calls()).toEqual(["helper.example.com"]);
    expect(await repo.resolve({ config: { type: "OCIRegistry" }, identity: oci("quay.io") })).toEqual({
      credentials: null,
    });
  });

  it("reads an inline dockerConfig and needs no credentials of its own", async () => {
    const repo = await repository();
    const config = {
      type: "DockerConfig/v1",
      dockerConfig: JSON.stringify({ auths: { "ghcr.io": { username: "inline", password: "p" } } }),
    };
    expect(await repo.consumerIdentity({ config })).toEqual({ identity: null });
    expect((await repo.resolve({ config, identity: oci("ghcr.io") })).credentials).toEqual({
      username: "inline",
      password: "p",
    });
  });
});

describe("the Credentials/v1 credential repository", () => {
  it("answers its properties", async () => {
    const repo = await repository("Credentials");
    const config = { type: "Credentials/v1", properties: { username: "me", password: "pw" } };
    expect((await repo.resolve({ config, identity: oci("ghcr.io") })).credentials).toEqual({
      username: "me",
      password: "pw",
    });
  });

  it("rejects non-string properties without showing their values", async () => {
    const repo = await repository("Credentials/v1");
    const error = await failure(
      repo.resolve({
        config: { type: "Credentials/v1", properties: { password: 987654321 } },
        identity: oci("x.io"),
      }),
    );
    expect(error.code).toBe("OCM_CREDENTIALS_INVALID");
    expect(error.message).toContain("properties.password");
    expect(error.message).not.toContain("987654321");
  });
});
