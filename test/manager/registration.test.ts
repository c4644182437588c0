// Self-registration (#17 item 3): a manager created with `registration` accepts plugin services that post
// their URL and capabilities with the shared token, calls them like any remote plugin, and drops one that
// stops heartbeating; the service registers again once it heartbeats and is told it is unknown.
import { execa } from "execa";
import { readFile } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { describe, expect, it, onTestFinished } from "vitest";
import { createPluginManager, type PluginManager } from "../../index.js";
import { makeCertificates } from "../helpers/certificates.js";
import { bundleExecutable } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const TOKEN = "registration-token-for-tests-2f9c";

/** Polls `check` every 50 ms until it holds, failing after `ms`. */
async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`still not so after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const listed = async (manager: PluginManager) =>
  (await manager.list()).some((p) => p.id === "registered-lister" && p.state === "ok");

async function managerAccepting() {
  const home = await useTempDir();
  const manager = createPluginManager({
    home,
    pluginDirs: [],
    cacheFile: false,
    handleSignals: false,
    registration: { listen: { host: "127.0.0.1", port: 0 }, token: TOKEN },
  });
  onTestFinished(() => manager.close());
  const { url } = await (manager.registration as NonNullable<PluginManager["registration"]>).ready;
  return { manager, url };
}

describe("self-registration of plugin services (#17)", () => {
  it("lists and calls a registered service, drops it when it stops heartbeating, and takes it back when it returns", async () => {
    const { manager, url } = await managerAccepting();
    const executable = await bundleExecutable("test/fixtures/plugins/remote/register-lister.ts");
    const service = execa(executable, [], {
      reject: false,
      env: { OCM_TEST_MANAGER: url, OCM_TEST_TOKEN: TOKEN, OCM_TEST_HEARTBEAT_MS: "200" },
    });
    onTestFinished(() => {
      service.kill("SIGCONT");
      service.kill("SIGKILL");
    });

    await until(() => listed(manager));
    const entry = await manager.info("registered-lister");
    expect(entry.source).toBe("remote");
    expect(entry.document?.type).toEqual({ "Registered/v1": ["componentLister"] });
    const lister = await manager.getPlugin("Registered/v1", "componentLister");
    expect(await lister.listComponents({ repository: { type: "Registered/v1" } })).toEqual({
      components: ["acme.org/registered"],
    });

    // A paused service sends no heartbeats: after three missed ones it is gone.
    service.kill("SIGSTOP");
    await until(async () => !(await listed(manager)), 5_000);
    expect(manager.registration?.instances()).toEqual([]);
    await expect(manager.getPlugin("Registered/v1", "componentLister")).rejects.toMatchObject({
      code: "OCM_PLUGIN_NOT_FOUND",
    });

    // Resumed, its heartbeat is refused as unknown and it registers again.
    service.kill("SIGCONT");
    await until(() => listed(manager), 5_000);
    const again = await manager.getPlugin("Registered/v1", "componentLister");
    expect((await again.listComponents({ repository: { type: "Registered/v1" } })).components).toEqual([
      "acme.org/registered",
    ]);
  });

  it("refuses a registration without the shared token", async () => {
    const { manager, url } = await managerAccepting();
    const registration = {
      id: "intruder",
      url: "http://127.0.0.1:9",
      capabilities: { type: { "Intruder/v1": ["componentLister"] } },
    };
    for (const authorization of ["Bearer not-the-token-at-all-0000", ""]) {
      const response = await fetch(`${url}/v1/registrations`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(registration),
      });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { code: string }).code).toBe("OCM_RPC_UNAUTHORIZED");
    }
    const accepted = await fetch(`${url}/v1/registrations`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ ...registration, url: "http://192.0.2.1:8080" }),
    });
    // Plain HTTP to another host is refused as for a configured remote plugin.
    expect(accepted.status).toBe(422);
    expect((await manager.list()).map((p) => p.id)).not.toContain("intruder");
  });
});

describe("the registration endpoint's transport (#17 item 5)", () => {
  it("refuses plain HTTP on another host than loopback, where the shared token would cross the network readable", async () => {
    const home = await useTempDir();
    expect(() =>
      createPluginManager({
        home,
        pluginDirs: [],
        cacheFile: false,
        handleSignals: false,
        registration: { listen: { host: "0.0.0.0", port: 0 }, token: TOKEN },
      }),
    ).toThrow(/would listen on 0\.0\.0\.0 with plain HTTP/);
  });

  it("serves HTTPS with the given certificate: a registration with the token is kept, one without is refused", async () => {
    const home = await useTempDir();
    const certs = await makeCertificates(home);
    const manager = createPluginManager({
      home,
      pluginDirs: [],
      cacheFile: false,
      handleSignals: false,
      registration: {
        listen: { host: "127.0.0.1", port: 0 },
        token: TOKEN,
        tls: { cert: await readFile(certs.cert), key: await readFile(certs.key) },
      },
    });
    onTestFinished(() => manager.close());
    const endpoint = manager.registration as NonNullable<PluginManager["registration"]>;
    const { url } = await endpoint.ready;
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = await readFile(certs.ca);
    const registration = {
      id: "tls-registered",
      url: "http://127.0.0.1:9",
      capabilities: { type: { "Tls/v1": ["componentLister"] } },
    };
    const post = (authorization: string | undefined) =>
      new Promise<number>((resolve, reject) => {
        const request = httpsRequest(
          `${url}/v1/registrations`,
          {
            method: "POST",
            ca,
            headers: {
              "content-type": "application/json",
              ...(authorization ? { authorization } : {}),
            },
          },
          (answer) => {
            answer.resume();
            answer.on("end", () => resolve(answer.statusCode ?? 0));
          },
        );
        request.on("error", reject);
        request.end(JSON.stringify(registration));
      });
    expect(await post(undefined)).toBe(401);
    expect(endpoint.instances()).toEqual([]);
    expect(await post(`Bearer ${TOKEN}`)).toBe(200);
    expect(endpoint.instances().map((instance) => instance.id)).toEqual(["tls-registered"]);
  });
});
