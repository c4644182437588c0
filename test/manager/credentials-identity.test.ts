// Consumer identities of repository and access specs, as the host asks the plugins serving consumerIdentity
// for their types (ADR 0006; here the built-in OCI and CTF plugins), and OCM's hostpath matching rules:
// port, scheme, pathprefix by whole segments, and the most specific match first.
import { describe, expect, it, onTestFinished } from "vitest";
import { isOcmError, type TypedSpec } from "../../core/index.js";
import { consumerIdentityOf } from "../../manager/host/credentials/consumer-identity.js";
import { compareSpecificity, matchIdentity } from "../../manager/host/credentials/match-identity.js";
import { createPluginManager } from "../../manager/index.js";
import { ctfPlugin } from "../../plugins/ctf/plugin.js";
import { ociPlugin } from "../../plugins/oci/plugin.js";
import { useTempDir } from "../helpers/temp-dir.js";

/** consumerIdentityOf through a manager with the OCI and CTF plugins in-process. */
async function identities() {
  const manager = createPluginManager({
    builtins: [ociPlugin, ctfPlugin],
    cacheFile: false,
    env: {},
    home: await useTempDir(),
    handleSignals: false,
    logLevel: "silent",
  });
  onTestFinished(() => manager.close());
  return (spec: TypedSpec) => consumerIdentityOf(manager, spec);
}

describe("consumerIdentityOf", () => {
  it("derives an OCIRegistry identity from an OCI repository's baseUrl and subPath", async () => {
    const identityOf = await identities();
    expect(
      await identityOf({ type: "OCIRegistry/v1", baseUrl: "http://localhost:5000", subPath: "/ocm/" }),
    ).toEqual({
      type: "OCIRegistry",
      hostname: "localhost",
      port: "5000",
      pathprefix: "ocm",
    });
    expect(await identityOf({ type: "oci", baseUrl: "ghcr.io/acme" })).toEqual({
      type: "OCIRegistry",
      hostname: "ghcr.io",
      pathprefix: "acme",
    });
    expect(await identityOf({ type: "OCIRepository", baseUrl: "https://GHCR.io" })).toEqual({
      type: "OCIRegistry",
      hostname: "ghcr.io",
    });
  });

  it("derives the repository path of an image reference, Docker Hub included", async () => {
    const identityOf = await identities();
    const digest = `sha256:${"ab".repeat(32)}`;
    expect(
      await identityOf({ type: "ociArtifact", imageReference: `localhost:5000/acme/app:1.0@${digest}` }),
    ).toEqual({
      type: "OCIRegistry",
      hostname: "localhost",
      port: "5000",
      pathprefix: "acme/app",
    });
    expect(await identityOf({ type: "OCIImage/v1", imageReference: `ghcr.io/acme/app@${digest}` })).toEqual({
      type: "OCIRegistry",
      hostname: "ghcr.io",
      pathprefix: "acme/app",
    });
    expect(await identityOf({ type: "ociArtifact/v1", imageReference: "nginx:1.27" })).toEqual({
      type: "OCIRegistry",
      hostname: "docker.io",
      pathprefix: "library/nginx",
    });
    // Docker Hub's other host names are the one consumer docker.io.
    expect(
      await identityOf({ type: "ociArtifact", imageReference: "index.docker.io/library/nginx:1" }),
    ).toEqual({ type: "OCIRegistry", hostname: "docker.io", pathprefix: "library/nginx" });
    expect(await identityOf({ type: "ociBlob", ref: "ghcr.io/acme/blobs", digest })).toEqual({
      type: "OCIRegistry",
      hostname: "ghcr.io",
      pathprefix: "acme/blobs",
    });
  });

  it("gives no identity for specs that need no credentials, or whose type no plugin names one for", async () => {
    const identityOf = await identities();
    expect(await identityOf({ type: "CommonTransportFormat/v1", filePath: "/tmp/ctf" })).toBeUndefined();
    expect(await identityOf({ type: "localBlob", localReference: "sha256:abc" })).toBeUndefined();
    expect(await identityOf({ type: "OCIRegistry/v1" })).toBeUndefined();
  });

  it("fails for a spec that names a registry badly, as the call itself would", async () => {
    const identityOf = await identities();
    const error = await identityOf({ type: "OCIRegistry/v1", baseUrl: "bad host" }).catch((e: unknown) => e);
    expect(isOcmError(error) && error.code).toBe("OCM_OCI_REFERENCE_INVALID");
    expect((error as Error).message).toContain('"bad host"');
  });
});

describe("matchIdentity", () => {
  const request = { type: "OCIRegistry", hostname: "ghcr.io", port: "443", pathprefix: "acme/app" };

  it("matches on type and host, accepting OCIRegistry/v1 and any host case", () => {
    expect(matchIdentity({ type: "OCIRegistry/v1", hostname: "GHCR.io" }, request)).toBeDefined();
    expect(matchIdentity({ type: "OCIRegistry", hostname: "quay.io" }, request)).toBeUndefined();
    expect(matchIdentity({ type: "Git", hostname: "ghcr.io" }, request)).toBeUndefined();
  });

  it("requires the port when the configured identity names one", () => {
    const local = { type: "OCIRegistry", hostname: "localhost", port: "5000" };
    expect(matchIdentity(local, { type: "OCIRegistry", hostname: "localhost", port: "5000" })).toBeDefined();
    expect(
      matchIdentity(local, { type: "OCIRegistry", hostname: "localhost", port: "5001" }),
    ).toBeUndefined();
    expect(matchIdentity(local, { type: "OCIRegistry", hostname: "localhost" })).toBeUndefined();
    expect(matchIdentity({ type: "OCIRegistry", hostname: "localhost" }, { ...local })).toBeDefined();
  });

  it("compares pathprefix by whole path segments", () => {
    expect(
      matchIdentity({ type: "OCIRegistry", hostname: "ghcr.io", pathprefix: "acme" }, request),
    ).toBeDefined();
    expect(
      matchIdentity({ type: "OCIRegistry", hostname: "ghcr.io", pathprefix: "/acme/app" }, request),
    ).toBeDefined();
    expect(
      matchIdentity({ type: "OCIRegistry", hostname: "ghcr.io", pathprefix: "ac" }, request),
    ).toBeUndefined();
    expect(
      matchIdentity({ type: "OCIRegistry", hostname: "ghcr.io", pathprefix: "acme/app/x" }, request),
    ).toBeUndefined();
    expect(
      matchIdentity(
        { type: "OCIRegistry", hostname: "ghcr.io", pathprefix: "acme" },
        { type: "OCIRegistry", hostname: "ghcr.io" },
      ),
    ).toBeUndefined();
  });

  it("ranks a longer pathprefix and a named port as more specific", () => {
    const host = matchIdentity({ type: "OCIRegistry", hostname: "ghcr.io" }, request);
    const org = matchIdentity({ type: "OCIRegistry", hostname: "ghcr.io", pathprefix: "acme" }, request);
    const repo = matchIdentity({ type: "OCIRegistry", hostname: "ghcr.io", pathprefix: "acme/app" }, request);
    const port = matchIdentity({ type: "OCIRegistry", hostname: "ghcr.io", port: "443" }, request);
    if (!host || !org || !repo || !port) throw new Error("expected matches");
    expect(compareSpecificity(org, host)).toBeGreaterThan(0);
    expect(compareSpecificity(repo, org)).toBeGreaterThan(0);
    expect(compareSpecificity(port, host)).toBeGreaterThan(0);
  });

  it("requires other attributes of the configured identity to be equal", () => {
    expect(
      matchIdentity({ type: "OCIRegistry", hostname: "ghcr.io", purpose: "push" }, request),
    ).toBeUndefined();
    expect(
      matchIdentity(
        { type: "OCIRegistry", hostname: "ghcr.io", purpose: "push" },
        { ...request, purpose: "push" },
      ),
    ).toBeDefined();
  });
});
