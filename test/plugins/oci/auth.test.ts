import { describe, expect, it } from "vitest";
import { RegistryClient } from "../../../plugins/oci/distribution/registry-client.js";
import { registryLocation } from "../../../plugins/oci/distribution/reference.js";
import { REGISTRY_PASSWORD, REGISTRY_REFRESH_TOKEN, REGISTRY_USER } from "../../helpers/registry.js";
import { descriptor, repo, useRegistry, versions } from "./helpers.js";

const NAME = "acme.org/secured";
const good = { credentials: { username: REGISTRY_USER, password: REGISTRY_PASSWORD } };
const wrongPassword = "not-the-password-3b1d";
const wrong = { credentials: { username: REGISTRY_USER, password: wrongPassword } };

describe("basic auth (htpasswd)", () => {
  const registry = useRegistry({ auth: "basic" });

  it("answers the /v2/ ping with the Basic challenge", async () => {
    const answer = await new RegistryClient(registryLocation(registry().url)).ping();
    expect(answer).toEqual({ status: 401, challenge: { scheme: "basic" } });
  });

  it("pushes and reads a component version with the right credentials", async () => {
    const repository = repo(registry());
    await versions.addComponentVersion({ repository, descriptor: descriptor(NAME, "1.0.0") }, good);
    const { descriptor: read } = await versions.getComponentVersion(
      { repository, component: NAME, version: "1.0.0" },
      good,
    );
    expect(read.component.version).toBe("1.0.0");
  });

  it("fails with OCM_OCI_UNAUTHORIZED without credentials, asking for them", async () => {
    const error = await versions
      .listComponentVersions({ repository: repo(registry()), component: NAME })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "OCM_OCI_UNAUTHORIZED",
      hint: expect.stringContaining("needs credentials"),
    });
    expect((error as Error).message).toContain(
      `${registry().url}/v2/component-descriptors/${NAME}/tags/list`,
    );
  });

  it("fails with OCM_OCI_UNAUTHORIZED for a wrong password and never shows the secret", async () => {
    const error = await versions
      .listComponentVersions({ repository: repo(registry()), component: NAME }, wrong)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "OCM_OCI_UNAUTHORIZED",
      hint: expect.stringContaining("rejected the credentials"),
    });
    const shown =
      JSON.stringify(error) + String((error as Error).message) + String((error as { hint?: string }).hint);
    expect(shown).not.toContain(wrongPassword);
    expect(shown).not.toContain(Buffer.from(`${REGISTRY_USER}:${wrongPassword}`).toString("base64"));
  });
});

describe("token auth (WWW-Authenticate Bearer)", () => {
  const registry = useRegistry({ auth: "token" });

  it("gets tokens per scope with username and password and reuses them from the cache", async () => {
    const repository = repo(registry(), "token");
    await versions.addComponentVersion({ repository, descriptor: descriptor(NAME, "1.0.0") }, good);
    const afterPush = registry().tokensIssued();
    expect(afterPush).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      await versions.getComponentVersion({ repository, component: NAME, version: "1.0.0" }, good);
    }
    // The push already fetched the pull-scope token (its HEAD of the tag); reads are served from the cache.
    expect(registry().tokensIssued()).toBe(afterPush);
    await versions.listComponentVersions({ repository: repo(registry(), "token"), component: NAME }, good);
    expect(registry().tokensIssued()).toBe(afterPush);
  });

  it("exchanges an identity token (refresh token) for access", async () => {
    const repository = repo(registry(), "identity");
    const options = { credentials: { identityToken: REGISTRY_REFRESH_TOKEN } };
    await versions.addComponentVersion({ repository, descriptor: descriptor(NAME, "1.0.0") }, options);
    expect((await versions.listComponentVersions({ repository, component: NAME }, options)).versions).toEqual(
      ["1.0.0"],
    );
  });

  it("fails with OCM_OCI_UNAUTHORIZED when the token server refuses the credentials", async () => {
    const error = await versions
      .listComponentVersions({ repository: repo(registry(), "token"), component: NAME }, wrong)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "OCM_OCI_UNAUTHORIZED" });
    expect(JSON.stringify(error) + (error as Error).message).not.toContain(wrongPassword);
  });

  it("fails with OCM_OCI_UNAUTHORIZED for an anonymous request the token server does not grant", async () => {
    await expect(
      versions.listComponentVersions({ repository: repo(registry(), "token"), component: NAME }),
    ).rejects.toMatchObject({ code: "OCM_OCI_UNAUTHORIZED" });
  });
});
