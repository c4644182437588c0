// Remote plugins (#17 items 1, 2 and 5): the CTF plugin's code run as a plugin service (serveRemote) in its
// own process over TLS with a CA made here, used by `ocm transfer`; two instances with one SIGKILLed in the
// middle of a blob; a missing or wrong token; plain HTTP to another host refused; list and status showing
// reachability, and the breaker opening while the service is down and closing when it is back.
import { execa } from "execa";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { open, readFile, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliEnv, ocmCli } from "../helpers/cli.js";
import {
  REMOTE_TOKEN as TOKEN,
  makeCertificates,
  startService,
  type Certificates,
} from "../helpers/remote-service.js";
import { useTempDir } from "../helpers/temp-dir.js";

const COMPONENT = "acme.org/remote";
const BLOB_SIZE = 2 * 1024 * 1024;

/** Writes the ocm config naming the remote plugin `rctf` at `urls`. */
async function configure(home: string, urls: string[], certs: Certificates | undefined, extra = "") {
  const lines = [
    "type: plugin.config.ocm.software/v1",
    "plugins:",
    "  rctf:",
    "    remote:",
    `      urls: [${urls.join(", ")}]`,
    "      tokenFrom: env:RCTF_TOKEN",
    ...(certs ? [`      ca: ${certs.ca}`] : []),
    ...(extra ? [extra] : []),
  ];
  await writeFile(join(home, ".ocmconfig"), `${lines.join("\n")}\n`);
}

/** `ocm` with the token in its environment (`token`), never on its command line. */
async function remoteCli() {
  const ocm = await ocmCli();
  const withToken = (token: string | undefined, ...args: string[]) =>
    execa(ocm.path, args, {
      reject: false,
      cwd: ocm.home,
      env: { ...cliEnv(ocm.home), ...(token === undefined ? {} : { RCTF_TOKEN: token }) },
      extendEnv: false,
    });
  const run = (...args: string[]) => withToken(TOKEN, ...args);
  return Object.assign(run, { withToken, home: ocm.home });
}

type Ocm = Awaited<ReturnType<typeof remoteCli>>;

/** A source CTF with one component version holding one blob of BLOB_SIZE random-ish bytes. */
async function addSource(ocm: Ocm, dir: string): Promise<string> {
  const file = await open(join(dir, "data.bin"), "w");
  await file.write(randomBytes(BLOB_SIZE));
  await file.close();
  await writeFile(
    join(dir, "constructor.yaml"),
    `components:\n  - name: ${COMPONENT}\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n` +
      "      - {name: data, type: blob, input: {type: file, path: data.bin, mediaType: application/octet-stream}}\n",
  );
  const source = join(dir, "source");
  const added = await ocm(
    "add",
    "cv",
    "--create",
    "--repository",
    source,
    "--constructor",
    join(dir, "constructor.yaml"),
  );
  expect(added.stderr).toBe("");
  expect(added.exitCode).toBe(0);
  return source;
}

async function hashOf(ocm: Ocm, ref: string): Promise<string> {
  const result = await ocm("hash", "cv", ref, "-o", "json");
  expect(result.stderr).toBe("");
  expect(result.exitCode).toBe(0);
  return result.stdout;
}

interface ListedPlugin {
  id: string;
  source: string;
  state: string;
  version?: string;
  reachable?: boolean;
  activeInstances?: number;
  code?: string;
}

async function listed(ocm: Ocm, token: string | undefined = TOKEN): Promise<ListedPlugin | undefined> {
  const result = await ocm.withToken(token, "plugin", "list", "-o", "json");
  expect(result.exitCode).toBe(0);
  return (JSON.parse(result.stdout) as { plugins: ListedPlugin[] }).plugins.find((p) => p.id === "rctf");
}

interface RemoteStatus {
  plugin: string;
  reachable: boolean;
  activeInstances: number;
  instances: { url: string; up: boolean; reason?: string }[];
}

async function remoteStatus(ocm: Ocm): Promise<RemoteStatus | undefined> {
  const result = await ocm("plugin", "status", "-o", "json");
  expect(result.exitCode).toBe(0);
  return (JSON.parse(result.stdout) as { remotes: RemoteStatus[] }).remotes.find((r) => r.plugin === "rctf");
}

describe("a remote plugin over TLS", () => {
  it("carries ocm transfer into and out of a CTF it serves, with the same bytes", async () => {
    const dir = await useTempDir();
    const certs = await makeCertificates(dir);
    const service = await startService(certs);
    const ocm = await remoteCli();
    await configure(ocm.home, [service.url], certs);
    const source = await addSource(ocm, dir);

    const into = await ocm("transfer", "cv", `${source}//${COMPONENT}:1.0.0`, `rctf::${join(dir, "served")}`);
    expect(into.stderr).toBe("");
    expect(into.exitCode).toBe(0);
    const back = await ocm(
      "transfer",
      "cv",
      `rctf::${join(dir, "served")}//${COMPONENT}:1.0.0`,
      join(dir, "back"),
    );
    expect(back.stderr).toBe("");
    expect(back.exitCode).toBe(0);
    expect(await hashOf(ocm, `${join(dir, "back")}//${COMPONENT}:1.0.0`)).toBe(
      await hashOf(ocm, `${source}//${COMPONENT}:1.0.0`),
    );
    const blob = await readFile(join(dir, "data.bin"));
    const downloaded = await ocm(
      "download",
      "resource",
      `rctf::${join(dir, "served")}//${COMPONENT}:1.0.0`,
      "data",
      "-O",
      join(dir, "out.bin"),
    );
    expect(downloaded.exitCode).toBe(0);
    expect((await readFile(join(dir, "out.bin"))).equals(blob)).toBe(true);

    expect(await listed(ocm)).toMatchObject({
      source: "remote",
      state: "ok",
      reachable: true,
      activeInstances: 1,
    });
    const table = await ocm("plugin", "list");
    expect(table.stdout).toMatch(/^rctf +remote +1\.0\.0 +reachable +RemoteCTF\/v1/m);
    expect(table.stdout).toContain("rctf: remote, 1/1 instances active");
    const status = await ocm("plugin", "status");
    expect(status.stdout).toMatch(/^rctf +remote, reachable +1\/1 +https:\/\/127\.0\.0\.1:\d+ +up$/m);
  });

  it("completes a transfer on the second instance when the first is SIGKILLed in the middle of a blob (#17)", async () => {
    const dir = await useTempDir();
    const certs = await makeCertificates(dir);
    const ocm = await remoteCli();
    const source = await addSource(ocm, dir);
    // The source CTF is served by two instances that send blobs slowly, so one can be killed mid-stream.
    const served = join(dir, "served");
    const seeded = await ocm("transfer", "cv", `${source}//${COMPONENT}:1.0.0`, served);
    expect(seeded.exitCode).toBe(0);
    const first = await startService(certs, { slowMs: 10 });
    const second = await startService(certs, { slowMs: 10 });
    await configure(ocm.home, [first.url, second.url], certs);

    const transfer = ocm(
      "transfer",
      "cv",
      `rctf::${served}//${COMPONENT}:1.0.0`,
      join(dir, "target"),
      "-o",
      "json",
    );
    const killed = await Promise.race([
      first.blobStarted.then(() => first),
      second.blobStarted.then(() => second),
    ]);
    killed.child.kill("SIGKILL");
    const result = await transfer;
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ blobsCopied: 1 });
    expect(await hashOf(ocm, `${join(dir, "target")}//${COMPONENT}:1.0.0`)).toBe(
      await hashOf(ocm, `${source}//${COMPONENT}:1.0.0`),
    );

    const status = await remoteStatus(ocm);
    expect(status).toMatchObject({ reachable: true, activeInstances: 1 });
    expect(status?.instances.find((i) => i.url === killed.url)?.up).toBe(false);
  });

  it("is refused without the token or with a wrong one", async () => {
    const dir = await useTempDir();
    const certs = await makeCertificates(dir);
    const service = await startService(certs);
    const ocm = await remoteCli();
    await configure(ocm.home, [service.url], certs);
    const ref = `rctf::${join(dir, "served")}//${COMPONENT}:1.0.0`;

    // Never asked before, a wrong token leaves the plugin undescribed: broken, with the service's 401.
    expect(await listed(ocm, "x".repeat(43))).toMatchObject({
      state: "broken",
      code: "OCM_RPC_UNAUTHORIZED",
    });

    // Described once (its capabilities cached), a call with a wrong token is the service's 401.
    expect(await listed(ocm)).toMatchObject({ state: "ok" });
    const wrong = await ocm.withToken("y".repeat(43), "get", "cv", ref);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toContain("Code: OCM_RPC_UNAUTHORIZED");
    expect(wrong.stderr).not.toContain("y".repeat(43));
    const missing = await ocm.withToken(undefined, "get", "cv", ref);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain("Code: OCM_PLUGIN_REMOTE_TOKEN_MISSING");
    expect(missing.stderr).toContain("RCTF_TOKEN");

    // Without any Authorization header the service answers 401 with an error body.
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${service.url}/v1/capabilities`, { ca: readFileSync(certs.ca) }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ code: "OCM_RPC_UNAUTHORIZED" });
  });
});

describe("remote plugin configuration", () => {
  it("refuses plain HTTP to a host that is not loopback, on the command line and in the config file", async () => {
    const ocm = await remoteCli();
    const added = await ocm(
      "plugin",
      "add-remote",
      "far",
      "http://plugins.example.com:8080",
      "--token-from",
      "RCTF_TOKEN",
    );
    expect(added.exitCode).toBe(1);
    expect(added.stderr).toContain("Code: OCM_PLUGIN_REMOTE_INSECURE");
    await expect(readFile(join(ocm.home, ".ocmconfig"), "utf8")).rejects.toThrow();
    const loopback = await ocm(
      "plugin",
      "add-remote",
      "near",
      "http://127.0.0.1:9",
      "--token-from",
      "RCTF_TOKEN",
    );
    expect(loopback.stderr).toBe("");
    expect(loopback.exitCode).toBe(0);

    await configure(ocm.home, ["http://plugins.example.com:8080"], undefined);
    const listedPlugins = await ocm("plugin", "list");
    expect(listedPlugins.exitCode).toBe(1);
    expect(listedPlugins.stderr).toContain("Code: OCM_PLUGIN_REMOTE_INSECURE");
  });

  it("writes add-remote's URLs and token source to the config, never the token", async () => {
    const dir = await useTempDir();
    const certs = await makeCertificates(dir);
    const service = await startService(certs);
    const ocm = await remoteCli();
    const added = await ocm(
      "plugin",
      "add-remote",
      "rctf",
      service.url,
      "--token-from",
      "RCTF_TOKEN",
      "--ca",
      certs.ca,
    );
    expect(added.stderr).toBe("");
    expect(added.exitCode).toBe(0);
    const config = await readFile(join(ocm.home, ".ocmconfig"), "utf8");
    expect(config).toContain("tokenFrom: env:RCTF_TOKEN");
    expect(config).not.toContain(TOKEN);
    expect(await listed(ocm)).toMatchObject({ source: "remote", reachable: true });
  });
});

describe("the circuit breaker of a remote plugin", () => {
  it("fails fast while the service is down and closes when it is back", async () => {
    const dir = await useTempDir();
    const certs = await makeCertificates(dir);
    const ocm = await remoteCli();
    const source = await addSource(ocm, dir);
    const served = join(dir, "served");
    expect((await ocm("transfer", "cv", `${source}//${COMPONENT}:1.0.0`, served)).exitCode).toBe(0);
    const service = await startService(certs);
    await configure(ocm.home, [service.url], certs);
    const ref = `rctf::${served}//${COMPONENT}:1.0.0`;
    expect((await ocm("get", "cv", ref)).exitCode).toBe(0);
    expect(await remoteStatus(ocm)).toMatchObject({ reachable: true, activeInstances: 1 });

    service.child.kill("SIGKILL");
    await service.child;
    const down = await ocm("get", "cv", ref);
    expect(down.exitCode).toBe(1);
    expect(down.stderr).toContain("Code: OCM_PLUGIN_REMOTE_UNAVAILABLE");
    expect(await remoteStatus(ocm)).toMatchObject({ reachable: false, activeInstances: 0 });
    expect(await listed(ocm)).toMatchObject({ state: "ok", reachable: false });

    await startService(certs, { port: service.port });
    const back = await ocm("get", "cv", ref);
    expect(back.stderr).toBe("");
    expect(back.exitCode).toBe(0);
    expect(await remoteStatus(ocm)).toMatchObject({ reachable: true, activeInstances: 1 });
  });
});

describe("a remote plugin's identity and version", () => {
  it("fetches its capabilities again when the service reports another version", async () => {
    const dir = await useTempDir();
    const certs = await makeCertificates(dir);
    const ocm = await remoteCli();
    const service = await startService(certs, { version: "1.0.0" });
    await configure(ocm.home, [service.url], certs);
    expect(await listed(ocm)).toMatchObject({ state: "ok", version: "1.0.0" });
    expect(await listed(ocm)).toMatchObject({ state: "ok", version: "1.0.0" });

    service.child.kill("SIGKILL");
    await service.child;
    await startService(certs, { port: service.port, version: "2.0.0" });
    expect(await listed(ocm)).toMatchObject({ state: "ok", version: "2.0.0" });
  });

  it("authenticates with a client certificate (mTLS), and without one is refused", async () => {
    const dir = await useTempDir();
    const certs = await makeCertificates(dir);
    const ocm = await remoteCli();
    const source = await addSource(ocm, dir);
    const served = join(dir, "served");
    expect((await ocm("transfer", "cv", `${source}//${COMPONENT}:1.0.0`, served)).exitCode).toBe(0);
    const service = await startService(certs, { mtls: true });

    const entry = (lines: string[]) =>
      writeFile(
        join(ocm.home, ".ocmconfig"),
        ["type: plugin.config.ocm.software/v1", "plugins:", "  rctf:", "    remote:", ...lines].join("\n") +
          "\n",
      );
    await entry([`      urls: [${service.url}]`, "      tokenFrom: env:RCTF_TOKEN", `      ca: ${certs.ca}`]);
    expect(await listed(ocm)).toMatchObject({ state: "broken", code: "OCM_PLUGIN_REMOTE_UNAVAILABLE" });

    await entry([
      `      urls: [${service.url}]`,
      `      ca: ${certs.ca}`,
      `      cert: ${certs.clientCert}`,
      `      key: ${certs.clientKey}`,
    ]);
    const got = await ocm.withToken(
      undefined,
      "get",
      "cv",
      `rctf::${served}//${COMPONENT}:1.0.0`,
      "-o",
      "json",
    );
    expect(got.stderr).toBe("");
    expect(got.exitCode).toBe(0);
    expect(got.stdout).toContain(COMPONENT);
  });
});

describe("the call bound of a remote plugin", () => {
  it("ends a blob stream that stalls longer than callTimeout with OCM_RPC_TIMEOUT, and keeps the instance", async () => {
    const dir = await useTempDir();
    const certs = await makeCertificates(dir);
    const ocm = await remoteCli();
    const source = await addSource(ocm, dir);
    const served = join(dir, "served");
    expect((await ocm("transfer", "cv", `${source}//${COMPONENT}:1.0.0`, served)).exitCode).toBe(0);
    const service = await startService(certs, { slowMs: 2_000 });
    await configure(ocm.home, [service.url], certs, "    callTimeout: 300ms");

    const ref = `rctf::${served}//${COMPONENT}:1.0.0`;
    const download = await ocm("download", "resource", ref, "data", "-O", join(dir, "out.bin"));
    expect(download.exitCode).toBe(1);
    expect(download.stderr).toContain("Code: OCM_RPC_TIMEOUT");
    expect(download.stderr).toContain("300 ms");
    expect(await remoteStatus(ocm)).toMatchObject({ reachable: true, activeInstances: 1 });
  });
});
