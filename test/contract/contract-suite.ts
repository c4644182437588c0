// One contract suite for every form of the echo test plugin: in-process, SDK executable and Python
// executable, over unix sockets and TCP. What a caller observes must not depend on the form.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PluginManager } from "../../manager/index.js";
import { generatedSha256, hashStream } from "./generated-bytes.js";

export interface ContractTarget {
  manager: PluginManager;
  /** Id under which the plugin is listed. */
  id: string;
  /** True when the plugin runs in its own process. */
  external: boolean;
  /** True for a plugin service the host reaches at a URL and never starts (ADR 0009). */
  remote?: boolean;
  cleanup(): Promise<void>;
}

const repository = { type: "Echo/v1" };

function descriptor(component: string, version: string) {
  return {
    meta: { schemaVersion: "v2" },
    component: {
      name: component,
      version,
      provider: "acme.org",
      repositoryContexts: [],
      resources: [],
      sources: [],
      componentReferences: [],
    },
  };
}

async function* chunksOf(data: Buffer, size = 1 << 16): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}

async function expectCode(
  promise: Promise<unknown>,
  code: string,
): Promise<Error & { code: string; hint?: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error & { code: string; hint?: string },
  );
  expect(error, `expected a rejection with ${code}`).toBeDefined();
  expect(error?.code).toBe(code);
  return error as Error & { code: string; hint?: string };
}

/** Registers the contract suite for one form of the echo plugin. */
export function defineContractSuite(name: string, setup: () => Promise<ContractTarget>): void {
  describe(`plugin contract: ${name}`, () => {
    let target: ContractTarget;
    beforeAll(async () => {
      target = await setup();
    });
    afterAll(async () => {
      await target?.cleanup();
    });

    it("lists the plugin with its types, capabilities and aliases", async () => {
      const entry = await target.manager.info(target.id);
      expect(entry.state).toBe("ok");
      expect(entry.document?.type["Echo/v1"]).toEqual(
        expect.arrayContaining(["componentVersionRepository", "componentLister"]),
      );
      expect(entry.document?.type["Generated/v1"]).toEqual(["resourceRepository"]);
      expect(entry.document?.aliases?.["Echo/v1"]).toContain("echo");
    });

    it("stores a component version and reads it back, also through the type alias", async () => {
      const repo = await target.manager.getPlugin("Echo/v1", "componentVersionRepository");
      await repo.addComponentVersion({ repository, descriptor: descriptor("acme.org/app", "1.0.0") });
      await repo.addComponentVersion({ repository, descriptor: descriptor("acme.org/app", "0.9.0") });
      const viaAlias = await target.manager.getPlugin("echo", "componentVersionRepository");
      const { descriptor: read } = await viaAlias.getComponentVersion({
        repository,
        component: "acme.org/app",
        version: "1.0.0",
      });
      expect(read.component).toMatchObject({ name: "acme.org/app", version: "1.0.0", provider: "acme.org" });
      const { versions } = await repo.listComponentVersions({ repository, component: "acme.org/app" });
      expect(versions).toEqual(["0.9.0", "1.0.0"]);
    });

    it("reports a missing version with the versions that exist", async () => {
      const repo = await target.manager.getPlugin("Echo/v1", "componentVersionRepository");
      await repo.addComponentVersion({ repository, descriptor: descriptor("acme.org/missing", "2.0.0") });
      const error = await expectCode(
        repo.getComponentVersion({ repository, component: "acme.org/missing", version: "3.0.0" }),
        "OCM_REPOSITORY_NOT_FOUND",
      );
      expect(error.message).toContain("3.0.0");
      expect(error.hint).toContain("2.0.0");
    });

    it("rejects a malformed request with the path of the bad field", async () => {
      const repo = await target.manager.getPlugin("Echo/v1", "componentVersionRepository");
      const error = await expectCode(
        repo.getComponentVersion({ repository, component: "", version: "1.0.0" }),
        "OCM_RPC_BAD_REQUEST",
      );
      expect(error.message).toContain("component");
    });

    it("streams a local blob in and out byte for byte", async () => {
      const repo = await target.manager.getPlugin("Echo/v1", "componentVersionRepository");
      const data = randomBytes(3 * 1024 * 1024 + 17);
      const digest = `sha256:${createHash("sha256").update(data).digest("hex")}`;
      const added = await repo.addLocalBlob(
        {
          repository,
          component: "acme.org/app",
          version: "1.0.0",
          mediaType: "application/octet-stream",
          digest,
        },
        chunksOf(data),
      );
      expect(added).toMatchObject({ digest, size: data.length, localReference: digest });
      const blob = await repo.getLocalBlob({
        repository,
        component: "acme.org/app",
        version: "1.0.0",
        localReference: added.localReference,
      });
      expect(blob.size).toBe(data.length);
      const chunks: Buffer[] = [];
      for await (const chunk of blob.content) chunks.push(Buffer.from(chunk));
      expect(Buffer.concat(chunks).equals(data)).toBe(true);
    });

    it("refuses a blob whose bytes do not match the announced digest", async () => {
      const repo = await target.manager.getPlugin("Echo/v1", "componentVersionRepository");
      const data = randomBytes(1000);
      const wrong = `sha256:${"0".repeat(64)}`;
      await expectCode(
        repo.addLocalBlob(
          { repository, component: "acme.org/app", version: "1.0.0", mediaType: "text/plain", digest: wrong },
          chunksOf(data),
        ),
        "OCM_REPOSITORY_DIGEST_MISMATCH",
      );
      await expectCode(
        repo.getLocalBlob({ repository, component: "acme.org/app", version: "1.0.0", localReference: wrong }),
        "OCM_REPOSITORY_NOT_FOUND",
      );
    });

    it("lists components page by page", async () => {
      const repo = await target.manager.getPlugin("Echo/v1", "componentVersionRepository");
      for (const n of ["a", "b", "c"]) {
        await repo.addComponentVersion({ repository, descriptor: descriptor(`acme.org/list-${n}`, "1.0.0") });
      }
      const lister = await target.manager.getPlugin("Echo/v1", "componentLister");
      const names: string[] = [];
      let after: string | undefined;
      for (let page = 0; page < 20; page++) {
        const result = await lister.listComponents({ repository, limit: 2, ...(after ? { after } : {}) });
        expect(result.components.length).toBeLessThanOrEqual(2);
        names.push(...result.components);
        if (!result.next) break;
        after = result.next;
      }
      expect(names).toEqual([...names].sort());
      expect(names).toEqual(
        expect.arrayContaining(["acme.org/list-a", "acme.org/list-b", "acme.org/list-c"]),
      );
    });

    it("streams a generated resource out and hashes one that is streamed in", async () => {
      const resources = await target.manager.getPlugin("Generated/v1", "resourceRepository");
      const size = 8 * 1024 * 1024 + 5;
      const resource = {
        name: "gen",
        version: "1.0.0",
        type: "blob",
        access: { type: "Generated/v1", size, seed: 7 },
      };
      const blob = await resources.getResource({ resource });
      expect(await hashStream(blob.content)).toEqual({ sha256: generatedSha256(size, 7), size });
      const data = randomBytes(2 * 1024 * 1024);
      const { resource: stored } = await resources.addResource({ resource }, chunksOf(data));
      expect(stored.digest).toEqual({
        hashAlgorithm: "SHA-256",
        normalisationAlgorithm: "genericBlobDigest/v1",
        value: createHash("sha256").update(data).digest("hex"),
      });
      expect(stored.access).toMatchObject({ size: data.length });
    });

    it("resolves credentials from the plugin's own configuration", async () => {
      const credentials = await target.manager.getPlugin("EchoCredentials/v1", "credentialRepository");
      const config = { type: "EchoCredentials/v1" };
      await expect(credentials.resolve({ config, identity: { hostname: "ghcr.io" } })).resolves.toEqual({
        credentials: { username: "octo", password: "s3cret" },
      });
      await expect(
        credentials.resolve({ config, identity: { hostname: "unknown.example" } }),
      ).resolves.toEqual({
        credentials: null,
      });
    });

    it("answers connection status and test-connection", async () => {
      await expect(target.manager.connectionStatus(target.id)).resolves.toMatchObject({
        status: "connected",
      });
      await expect(
        target.manager.testConnection(target.id, {
          type: "Echo/v1",
          spec: { type: "Echo/v1", reachable: true },
        }),
      ).resolves.toMatchObject({ ok: true });
      await expect(
        target.manager.testConnection(target.id, {
          type: "Echo/v1",
          spec: { type: "Echo/v1", reachable: false },
        }),
      ).resolves.toMatchObject({ ok: false });
    });

    it("fails a call whose plugin crashes, and serves the next call", async () => {
      const repo = await target.manager.getPlugin("Echo/v1", "componentVersionRepository");
      if (target.remote) {
        // Nobody restarts a service: the call and the next find it unavailable (ADR 0009).
        await expectCode(
          repo.getComponentVersion({ repository, component: "crash.example/now", version: "1.0.0" }),
          "OCM_PLUGIN_REMOTE_UNAVAILABLE",
        );
        await expectCode(
          repo.listComponentVersions({ repository, component: "acme.org/after-crash" }),
          "OCM_PLUGIN_REMOTE_UNAVAILABLE",
        );
        return;
      }
      await expectCode(
        repo.getComponentVersion({ repository, component: "crash.example/now", version: "1.0.0" }),
        "OCM_PLUGIN_CRASHED",
      );
      await repo.addComponentVersion({ repository, descriptor: descriptor("acme.org/after-crash", "1.0.0") });
      const { versions } = await repo.listComponentVersions({
        repository,
        component: "acme.org/after-crash",
      });
      expect(versions).toEqual(["1.0.0"]);
    });
  });
}

/** The echo plugins' own configuration used by the suite. */
export const ECHO_CONFIG = { credentials: { "ghcr.io": { username: "octo", password: "s3cret" } } };
