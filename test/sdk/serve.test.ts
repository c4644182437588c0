// The plugin server over real sockets: the secret, control routes, JSON calls, streamed blobs both ways
// and how errors reach the host.
import { createHash, randomBytes } from "node:crypto";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { Pool } from "undici";
import { describe, expect, it } from "vitest";
import {
  BLOB_HEADER,
  REQUEST_HEADER,
  capabilityRoute,
  decodeHeaderJson,
  encodeHeaderJson,
  healthSchema,
  wireErrorSchema,
} from "../../core/index.js";
import { generatedSha256, hashStream } from "../contract/generated-bytes.js";
import { useTempDir } from "../helpers/temp-dir.js";
import {
  call,
  echoExecutable,
  faultyExecutable,
  newSecret,
  open,
  postJson,
  startServer,
  waitFor,
} from "./plugin-process.js";

const repository = { type: "Echo/v1" };
const descriptor = (name: string, version: string) => ({
  meta: { schemaVersion: "v2" },
  component: { name, version, provider: "acme.org", resources: [] },
});

async function* chunksOf(data: Buffer, size = 1 << 16): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}

async function startEchoOnUnix(extra: Record<string, unknown> = {}) {
  const dir = await useTempDir();
  return startServer(await echoExecutable(), {
    id: "echo",
    type: "unix",
    location: join(dir, "echo.sock"),
    logLevel: "debug",
    config: { credentials: { "ghcr.io": { username: "octo", password: "s3cret" } } },
    ...extra,
  });
}

describe("plugin server", () => {
  it("listens on an owner-only unix socket, prints the ready line and answers health", async () => {
    const plugin = await startEchoOnUnix();
    expect(plugin.ready).toEqual({
      event: "ready",
      location: plugin.target.socketPath,
      protocol: "1.0.0",
      pid: plugin.child.pid,
    });
    expect((await stat(plugin.ready.location)).mode & 0o777).toBe(0o600);
    const health = await call(plugin.target, "/v1/health");
    expect(health.status).toBe(200);
    expect(healthSchema.parse(health.json())).toEqual({
      status: "ok",
      id: "echo",
      pid: plugin.child.pid,
      protocol: "1.0.0",
      name: "echo",
      version: "1.0.0",
    });
    const status = await call(plugin.target, "/v1/status");
    expect(status.json()).toEqual({ status: "connected" });
  });

  it("on TCP answers 401 without the secret, health included, and 200 with it", async () => {
    const secret = newSecret();
    const plugin = await startServer(await echoExecutable(), {
      id: "echo",
      type: "tcp",
      location: "127.0.0.1:0",
      secret,
    });
    expect(plugin.ready.location).toMatch(/^127\.0\.0\.1:\d+$/);
    const anonymous = await call(plugin.target, "/v1/health", { anonymous: true });
    expect(anonymous.status).toBe(401);
    expect(wireErrorSchema.parse(anonymous.json())).toMatchObject({ code: "OCM_RPC_UNAUTHORIZED" });
    const wrong = await call(plugin.target, "/v1/health", {
      anonymous: true,
      headers: { authorization: `Bearer ${newSecret()}` },
    });
    expect(wrong.status).toBe(401);
    const capability = await postJson(
      { ...plugin.target, secret: "x".repeat(32) },
      capabilityRoute("componentLister", "Echo/v1", "list-components"),
      { repository },
    );
    expect(capability.status).toBe(401);
    expect((await call(plugin.target, "/v1/health")).status).toBe(200);
  });

  it("enforces a secret on a unix socket when one is configured", async () => {
    const plugin = await startEchoOnUnix({ secret: newSecret() });
    expect((await call(plugin.target, "/v1/health", { anonymous: true })).status).toBe(401);
    expect((await call(plugin.target, "/v1/health")).status).toBe(200);
  });

  it("round-trips JSON operations, by canonical type name and by alias", async () => {
    const plugin = await startEchoOnUnix();
    const add = await postJson(
      plugin.target,
      capabilityRoute("componentVersionRepository", "Echo/v1", "add-component-version"),
      {
        repository,
        descriptor: descriptor("acme.org/app", "1.0.0"),
      },
    );
    expect(add.status).toBe(200);
    expect(add.json()).toEqual({});
    const get = await postJson(
      plugin.target,
      capabilityRoute("componentVersionRepository", "echo", "get-component-version"),
      {
        repository,
        component: "acme.org/app",
        version: "1.0.0",
      },
    );
    expect(get.status).toBe(200);
    expect(get.json()).toMatchObject({
      descriptor: { component: { name: "acme.org/app", provider: "acme.org" } },
    });
    const credentials = await postJson(
      plugin.target,
      capabilityRoute("credentialRepository", "EchoCredentials/v1", "resolve"),
      {
        config: { type: "EchoCredentials/v1" },
        identity: { hostname: "ghcr.io" },
      },
    );
    expect(credentials.json()).toEqual({ credentials: { username: "octo", password: "s3cret" } });
    const test = await postJson(plugin.target, "/v1/test-connection", {
      type: "Echo/v1",
      spec: { type: "Echo/v1", reachable: true },
    });
    expect(test.json()).toEqual({ ok: true });
  });

  it("streams several MiB out with the blob header and content-length, byte for byte", async () => {
    const plugin = await startEchoOnUnix();
    const size = 8 * 1024 * 1024 + 5;
    const res = await open(
      plugin.target,
      capabilityRoute("resourceRepository", "Generated/v1", "get-resource"),
      {
        body: JSON.stringify({
          resource: { name: "gen", type: "blob", access: { type: "Generated/v1", size, seed: 7 } },
        }),
      },
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/octet-stream");
    expect(res.headers["content-length"]).toBe(String(size));
    expect(decodeHeaderJson(res.headers[BLOB_HEADER] as string)).toEqual({
      mediaType: "application/octet-stream",
      size,
    });
    expect(await hashStream(res)).toEqual({ sha256: generatedSha256(size, 7), size });
  });

  it("streams several MiB in with the request in its header, checks the digest and serves it back", async () => {
    const plugin = await startEchoOnUnix();
    const data = randomBytes(5 * 1024 * 1024 + 3);
    const digest = `sha256:${createHash("sha256").update(data).digest("hex")}`;
    const request = {
      repository,
      component: "acme.org/app",
      version: "1.0.0",
      mediaType: "application/x-tar",
      digest,
    };
    const added = await call(
      plugin.target,
      capabilityRoute("componentVersionRepository", "Echo/v1", "add-local-blob"),
      {
        method: "POST",
        headers: { [REQUEST_HEADER]: encodeHeaderJson(request), "content-type": "application/octet-stream" },
        body: chunksOf(data),
      },
    );
    expect(added.status).toBe(200);
    expect(added.json()).toEqual({
      localReference: digest,
      mediaType: "application/x-tar",
      digest,
      size: data.length,
    });
    const back = await open(
      plugin.target,
      capabilityRoute("componentVersionRepository", "Echo/v1", "get-local-blob"),
      {
        body: JSON.stringify({
          repository,
          component: "acme.org/app",
          version: "1.0.0",
          localReference: digest,
        }),
      },
    );
    expect(decodeHeaderJson(back.headers[BLOB_HEADER] as string)).toMatchObject({
      size: data.length,
      digest,
    });
    expect(await hashStream(back)).toEqual({ sha256: digest.slice("sha256:".length), size: data.length });

    const mismatch = await call(
      plugin.target,
      capabilityRoute("componentVersionRepository", "Echo/v1", "add-local-blob"),
      {
        method: "POST",
        headers: { [REQUEST_HEADER]: encodeHeaderJson({ ...request, digest: `sha256:${"0".repeat(64)}` }) },
        body: chunksOf(data.subarray(0, 100_000)),
      },
    );
    expect(mismatch.status).toBe(422);
    expect(mismatch.json()).toMatchObject({ code: "OCM_REPOSITORY_DIGEST_MISMATCH" });
  });

  it("keeps serving after the host hangs up in the middle of a download", async () => {
    const plugin = await startEchoOnUnix();
    const size = 256 * 1024 * 1024;
    const res = await open(
      plugin.target,
      capabilityRoute("resourceRepository", "Generated/v1", "get-resource"),
      {
        body: JSON.stringify({
          resource: { name: "gen", type: "blob", access: { type: "Generated/v1", size } },
        }),
      },
    );
    await new Promise((resolve) => res.once("data", resolve));
    res.socket.destroy();
    expect(await waitFor(() => plugin.stderr().includes("request aborted by the host"), 5_000)).toBe(true);
    expect((await call(plugin.target, "/v1/health")).status).toBe(200);
    expect(plugin.stderr()).not.toContain('"level":"error"');
  });

  it("answers a malformed request with 400 and the path of the bad field", async () => {
    const plugin = await startEchoOnUnix();
    const route = capabilityRoute("componentVersionRepository", "Echo/v1", "get-component-version");
    const bad = await postJson(plugin.target, route, { repository, component: "", version: "1.0.0" });
    expect(bad.status).toBe(400);
    const error = wireErrorSchema.parse(bad.json());
    expect(error).toMatchObject({ code: "OCM_RPC_BAD_REQUEST", details: { path: "component" } });
    expect(error.message).toContain("field component");
    const notJson = await call(plugin.target, route, { body: "{nope" });
    expect(notJson.status).toBe(400);
    expect(notJson.json()).toMatchObject({ code: "OCM_RPC_BAD_REQUEST" });
    const upload = capabilityRoute("componentVersionRepository", "Echo/v1", "add-local-blob");
    const noHeader = await call(plugin.target, upload, { body: "bytes" });
    expect(noHeader.status).toBe(400);
    expect((noHeader.json() as { message: string }).message).toContain(REQUEST_HEADER);
  });

  it("reads a refused upload to its end before answering, so the host gets the answer, not a broken pipe", async () => {
    // An answer followed by a close on unread bytes breaks the host's write of them (EPIPE or a reset).
    const plugin = await startEchoOnUnix();
    const pool = new Pool("http://localhost", { socketPath: plugin.target.socketPath as string });
    try {
      const upload = capabilityRoute("componentVersionRepository", "Echo/v1", "add-local-blob");
      const body = Buffer.alloc(4 * 1024 * 1024, 0x61);
      for (let i = 0; i < 10; i++) {
        const answer = await pool.request({
          method: "POST",
          path: upload,
          headers: {
            authorization: `Bearer ${plugin.target.secret}`,
            [REQUEST_HEADER]: encodeHeaderJson({}),
          },
          body,
        });
        expect(answer.statusCode).toBe(400);
        expect(wireErrorSchema.parse(await answer.body.json())).toMatchObject({
          code: "OCM_RPC_BAD_REQUEST",
        });
      }
    } finally {
      await pool.close();
    }
  });

  it("maps domain errors to 422 and unknown routes, types and capabilities to 404", async () => {
    const plugin = await startEchoOnUnix();
    const missing = await postJson(
      plugin.target,
      capabilityRoute("componentVersionRepository", "Echo/v1", "get-component-version"),
      {
        repository,
        component: "acme.org/none",
        version: "1.0.0",
      },
    );
    expect(missing.status).toBe(422);
    expect(missing.json()).toMatchObject({ code: "OCM_REPOSITORY_NOT_FOUND" });
    for (const path of [
      "/v1/nothing",
      capabilityRoute("componentVersionRepository", "Nope/v1", "get-component-version"),
      capabilityRoute("resourceRepository", "Echo/v1", "get-resource"),
      capabilityRoute("componentVersionRepository", "Echo/v1", "no-such-operation"),
      "/v1/cap/notACapability/Echo%2Fv1/get",
    ]) {
      const res = await postJson(plugin.target, path, {});
      expect(res.status, path).toBe(404);
      expect(res.json(), path).toMatchObject({ code: "OCM_RPC_NOT_FOUND" });
    }
  });

  it("survives handler bugs: a thrown TypeError is a 500 answer and the next call is served", async () => {
    const dir = await useTempDir();
    const plugin = await startServer(await faultyExecutable(), {
      id: "faulty",
      type: "unix",
      location: join(dir, "f.sock"),
    });
    const route = capabilityRoute("componentLister", "Faulty/v1", "list-components");
    const bug = await postJson(plugin.target, route, { repository: { type: "Faulty/v1" } });
    expect(bug.status).toBe(500);
    expect(bug.json()).toMatchObject({ code: "OCM_INTERNAL" });
    const stray = await postJson(plugin.target, route, { repository: { type: "Faulty/v1" }, after: "stray" });
    expect(stray.status).toBe(200);
    const invalid = await call(
      plugin.target,
      capabilityRoute("resourceRepository", "Faulty/v1", "add-resource"),
      {
        headers: {
          [REQUEST_HEADER]: encodeHeaderJson({
            resource: { name: "r", type: "blob", access: { type: "Faulty/v1" } },
          }),
        },
        body: "x",
      },
    );
    expect(invalid.json()).toMatchObject({ code: "OCM_RPC_BAD_RESPONSE" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await call(plugin.target, "/v1/health")).status).toBe(200);
    expect(plugin.stderr()).toContain("stray failure outside a request");
  });

  it("answers an error when a blob fails before its first byte, and aborts the body when it fails midway", async () => {
    const dir = await useTempDir();
    const plugin = await startServer(await faultyExecutable(), {
      id: "faulty",
      type: "unix",
      location: join(dir, "f.sock"),
    });
    const route = capabilityRoute("resourceRepository", "Faulty/v1", "get-resource");
    const resource = (failAt: number) => ({
      resource: { name: "r", type: "blob", access: { type: "Faulty/v1", failAt } },
    });
    const early = await postJson(plugin.target, route, resource(0));
    expect(early.status).toBe(500);
    expect((early.json() as { message: string }).message).toContain("broke after 0 bytes");

    const res = await open(plugin.target, route, { body: JSON.stringify(resource(2 * 1024 * 1024)) });
    expect(res.statusCode).toBe(200);
    let received = 0;
    const outcome = await (async () => {
      for await (const chunk of res as AsyncIterable<Buffer>) received += chunk.length;
      return "complete";
    })().catch((error: Error) => error.message);
    expect(outcome).not.toBe("complete");
    expect(received).toBeLessThan(4 * 1024 * 1024);
    // The log line may trail the aborted body on another pipe.
    expect(
      await waitFor(() => plugin.stderr().includes("blob source broke after 2097152 bytes"), 5_000),
    ).toBe(true);
    expect((await call(plugin.target, "/v1/health")).status).toBe(200);
  });
});
