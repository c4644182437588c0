// Remote plugins in one manager (#17 items 1 and 2): calls spread over the instances that answer, a read
// that lost its instance sent to another, the instance counted out; the breaker failing calls without a
// connection attempt while no instance answers, and closing once the health check passes again. Real
// services over TLS (test/helpers/remote-service.ts) and a real TCP listener counting connections.
import { execa } from "execa";
import { createServer } from "node:net";
import { writeFile } from "node:fs/promises";
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { createPluginManager } from "../../manager/index.js";
import { ocmCli } from "../helpers/cli.js";
import { bundleExecutable } from "../helpers/executables.js";
import {
  REMOTE_TOKEN,
  makeCertificates,
  startService,
  type Certificates,
} from "../helpers/remote-service.js";
import { useTempDir } from "../helpers/temp-dir.js";

const COMPONENT = "acme.org/hello";

/** A CTF with the example component version, made by the CLI. */
async function servedCtf(dir: string): Promise<string> {
  const ocm = await ocmCli();
  const ctf = join(dir, "served");
  await writeFile(
    join(dir, "constructor.yaml"),
    `components:\n  - name: ${COMPONENT}\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n` +
      "      - {name: greeting, type: plainText, input: {type: utf8, text: hello, mediaType: text/plain}}\n",
  );
  const added = await ocm(
    "add",
    "cv",
    "--create",
    "--repository",
    ctf,
    "--constructor",
    join(dir, "constructor.yaml"),
  );
  expect(added.stderr).toBe("");
  return ctf;
}

/** A manager whose config names the remote plugin `rctf` at `urls`. */
async function managerFor(dir: string, urls: string[], certs: Certificates) {
  const configFile = join(dir, "ocmconfig.yaml");
  await writeFile(
    configFile,
    `type: plugin.config.ocm.software/v1\nplugins:\n  rctf:\n    remote:\n      urls: [${urls.join(", ")}]\n` +
      `      tokenFrom: env:RCTF_TOKEN\n      ca: ${certs.ca}\n`,
  );
  const manager = createPluginManager({
    configFile,
    cacheFile: false,
    pluginDirs: [],
    handleSignals: false,
    home: dir,
    env: { RCTF_TOKEN: REMOTE_TOKEN },
  });
  onTestFinished(() => manager.close());
  return manager;
}

async function remoteRuntime(manager: Awaited<ReturnType<typeof managerFor>>) {
  return (await manager.info("rctf")).runtime?.remote;
}

describe("a remote plugin in the manager", () => {
  it("spreads reads over its instances: a read finds the killed one, goes to the other, and the killed one is counted out", async () => {
    const dir = await useTempDir();
    const certs = await makeCertificates(dir);
    const served = await servedCtf(dir);
    const [first, second] = [await startService(certs), await startService(certs)];
    const manager = await managerFor(dir, [first.url, second.url], certs);
    const repo = await manager.getPlugin("RemoteCTF/v1", "componentVersionRepository");
    const request = {
      repository: { type: "RemoteCTF/v1", filePath: served },
      component: COMPONENT,
      version: "1.0.0",
    };

    for (let i = 0; i < 4; i++) {
      expect((await repo.getComponentVersion(request)).descriptor.component.name).toBe(COMPONENT);
    }
    expect(await remoteRuntime(manager)).toMatchObject({ active: 2 });

    second.child.kill("SIGKILL");
    await second.child;
    for (let i = 0; i < 4; i++) {
      expect((await repo.getComponentVersion(request)).descriptor.component.name).toBe(COMPONENT);
    }
    const runtime = await remoteRuntime(manager);
    expect(runtime?.active).toBe(1);
    expect(runtime?.instances).toEqual([
      expect.objectContaining({ url: first.url, up: true }),
      expect.objectContaining({ url: second.url, up: false }),
    ]);
    expect((await manager.info("rctf")).runtime?.state).toBe("reachable");
  });

  it("fails calls without connecting while no instance answers, and closes the breaker when one does", async () => {
    const dir = await useTempDir();
    const certs = await makeCertificates(dir);
    const served = await servedCtf(dir);
    const service = await startService(certs);
    const manager = await managerFor(dir, [service.url], certs);
    const repo = await manager.getPlugin("RemoteCTF/v1", "componentVersionRepository");
    const request = {
      repository: { type: "RemoteCTF/v1", filePath: served },
      component: COMPONENT,
      version: "1.0.0",
    };
    expect((await repo.getComponentVersion(request)).descriptor.component.name).toBe(COMPONENT);

    // The service goes; on its port, a listener that counts connections and drops each at once.
    service.child.kill("SIGKILL");
    await service.child;
    let connections = 0;
    const dropper = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => dropper.listen(service.port, "127.0.0.1", resolve));

    const opened = await repo.getComponentVersion(request).catch((error: unknown) => error);
    expect(opened).toMatchObject({ code: "OCM_PLUGIN_REMOTE_UNAVAILABLE" });
    expect(connections).toBeGreaterThan(0);
    const seen = connections;
    const fast = await repo.getComponentVersion(request).catch((error: unknown) => error);
    expect(fast).toMatchObject({ code: "OCM_PLUGIN_REMOTE_UNAVAILABLE" });
    expect(connections).toBe(seen);
    expect((await manager.info("rctf")).runtime?.state).toBe("unreachable");

    await new Promise<void>((resolve) => dropper.close(() => resolve()));
    await startService(certs, { port: service.port });
    // The next probe is due half a second after the failed one.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await repo.getComponentVersion(request)).descriptor.component.name).toBe(COMPONENT);
    expect(await remoteRuntime(manager)).toMatchObject({ active: 1 });
  });
});

describe("credentials of a call to a remote plugin (#17 item 5)", () => {
  it("reach the plugin only when its config forwards them", async () => {
    const dir = await useTempDir();
    const script = await bundleExecutable("test/fixtures/plugins/remote/echo-service.ts", "echo-service");
    const child = execa("node", [script], { reject: false, env: { OCM_TEST_TOKEN: REMOTE_TOKEN } });
    onTestFinished(() => void child.kill("SIGKILL"));
    const url = await new Promise<string>((resolve, reject) => {
      let text = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        const listening = /listening (\S+)\n/.exec((text += chunk.toString()));
        if (listening) resolve(listening[1] as string);
      });
      void child.then((result) => reject(new Error(`the echo service exited: ${String(result.stderr)}`)));
    });
    const lister = async (forward: boolean) => {
      const configFile = join(dir, `forward-${forward}.yaml`);
      await writeFile(
        configFile,
        `type: plugin.config.ocm.software/v1\nplugins:\n  echo:\n    remote:\n      urls: [${url}]\n` +
          `      tokenFrom: env:ECHO_TOKEN\n      forwardCredentials: ${forward}\n`,
      );
      const manager = createPluginManager({
        configFile,
        cacheFile: false,
        pluginDirs: [],
        handleSignals: false,
        home: dir,
        env: { ECHO_TOKEN: REMOTE_TOKEN },
      });
      onTestFinished(() => manager.close());
      return manager.getPlugin("Echo/v1", "componentLister");
    };
    const repository = { type: "Echo/v1", showCredentials: true };
    const credentials = { credentials: { username: "octo", password: "s3cret" } };
    await expect((await lister(false)).listComponents({ repository }, credentials)).resolves.toEqual({
      components: ["user:-"],
    });
    await expect((await lister(true)).listComponents({ repository }, credentials)).resolves.toEqual({
      components: ["user:octo"],
    });
  });
});

describe("a hostile plugin service", () => {
  it("that answers GET /v1/capabilities without end is cut off at the bound and listed broken", async () => {
    const dir = await useTempDir();
    // Healthy, then a capabilities document that never ends: the host must not hold it in memory.
    const server = createHttpServer((req, res) => {
      if (req.url === "/v1/health") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ status: "ok", id: "endless", pid: process.pid, protocol: "1.0.0" }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once("drain", pump);
      };
      res.write('{"type": {"X/v1": ["componentLister"]}, "pad": "');
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => void server.close());
    server.unref();
    const { port } = server.address() as AddressInfo;
    const configFile = join(dir, "ocmconfig.yaml");
    await writeFile(
      configFile,
      `type: plugin.config.ocm.software/v1\nplugins:\n  endless:\n    remote:\n      urls: [http://127.0.0.1:${port}]\n` +
        "      tokenFrom: env:ENDLESS_TOKEN\n",
    );
    const manager = createPluginManager({
      configFile,
      cacheFile: false,
      pluginDirs: [],
      handleSignals: false,
      home: dir,
      env: { ENDLESS_TOKEN: REMOTE_TOKEN },
    });
    onTestFinished(() => manager.close());
    const entry = (await manager.list()).find((plugin) => plugin.id === "endless");
    expect(entry).toMatchObject({ state: "broken", error: { code: "OCM_RPC_RESPONSE_TOO_LARGE" } });
  });
});
