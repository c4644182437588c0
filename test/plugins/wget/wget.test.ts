// The installable `wget` plugin (#14 item 1), run as an executable in a plugin directory and driven through
// `ocm` against a real HTTP(S) server on a loopback port: download, credentials by consumer identity,
// signing, copy by value, and the errors a user sees for 404, redirect loops and untrusted TLS.
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ocmCli } from "../../helpers/cli.js";
import { REPO_ROOT, bundleExecutable } from "../../helpers/executables.js";
import { selfSignedCertificate, useHttpServer } from "../../helpers/http-server.js";
import { useTempDir } from "../../helpers/temp-dir.js";

const KEYS = join(REPO_ROOT, "test/fixtures/signing");
const COMPONENT = "acme.org/downloads";
const PASSWORD = "s3cret-basic-password";
const TOKEN = "s3cret-bearer-token";
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** The test's web server: files, a redirect, a loop, a 404, a POST echo and two protected paths. */
function site(state: { data: Buffer; seenAuth: string[] }) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? "/";
    const send = (status: number, body: Buffer | string, type = "application/octet-stream") => {
      res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
      res.end(body);
    };
    if (req.headers.authorization) state.seenAuth.push(`${path} ${req.headers.authorization}`);
    if (path === "/files/data.bin") return send(200, state.data);
    if (path === "/moved") return res.writeHead(302, { location: "/files/data.bin" }).end();
    if (path === "/loop/a") return res.writeHead(302, { location: "/loop/b" }).end();
    if (path === "/loop/b") return res.writeHead(301, { location: "/loop/a" }).end();
    if (path === "/basic/data.bin") {
      const ok = req.headers.authorization === `Basic ${Buffer.from(`bot:${PASSWORD}`).toString("base64")}`;
      return ok ? send(200, state.data) : send(401, "who are you?");
    }
    if (path === "/bearer/notes.txt") {
      const ok = req.headers.authorization === `Bearer ${TOKEN}`;
      return ok ? send(200, "bearer notes\n", "text/plain; charset=utf-8") : send(403, "no");
    }
    if (path === "/echo" && req.method === "POST") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () =>
        send(200, `${String(req.headers["x-flavour"])}:${Buffer.concat(chunks).toString()}`),
      );
      return;
    }
    send(404, "not here");
  };
}

const resource = (name: string, access: string[]) =>
  [
    `      - name: ${name}`,
    "        type: blob",
    "        access:",
    ...access.map((l) => `          ${l}`),
  ].join("\n");

async function setup() {
  const cli = await ocmCli();
  const plugins = join(cli.home, "plugins");
  await mkdir(plugins, { recursive: true });
  const plugin = join(plugins, "wget");
  await copyFile(await bundleExecutable("plugins/wget/main.ts", "wget"), plugin);
  await chmod(plugin, 0o755);
  const state = { data: randomBytes(300_000), seenAuth: [] as string[] };
  const server = await useHttpServer(site(state));
  const host = { hostname: "127.0.0.1", port: String(server.port) };
  await writeFile(
    join(cli.home, ".ocmconfig"),
    JSON.stringify({
      type: "credentials.config.ocm.software",
      consumers: [
        {
          identity: { type: "wget", ...host, pathprefix: "basic" },
          credentials: [{ type: "Credentials/v1", properties: { username: "bot", password: PASSWORD } }],
        },
        {
          identity: { type: "wget", ...host, pathprefix: "bearer" },
          credentials: [{ type: "Credentials/v1", properties: { identityToken: TOKEN } }],
        },
      ],
    }),
  );
  const ocm = (...args: string[]) => cli("--plugin-dir", plugins, ...args);
  const dir = await useTempDir();
  const constructor = (resources: string[]) =>
    [
      "components:",
      `  - name: ${COMPONENT}`,
      "    version: 1.0.0",
      "    provider:",
      "      name: acme.org",
      "    resources:",
      ...resources,
      "",
    ].join("\n");
  const addCv = async (ctf: string, resources: string[]) => {
    const file = join(dir, `constructor-${resources.length}-${Math.random()}.yaml`);
    await writeFile(file, constructor(resources));
    return ocm("add", "cv", "--create", "--repository", ctf, "--constructor", file);
  };
  const download = async (ref: string, name: string, run = ocm) => {
    const out = join(dir, `${name}-${randomBytes(4).toString("hex")}.out`);
    const result = await run("download", "resource", ref, name, "-O", out);
    return { ...result, out, bytes: existsSync(out) ? await readFile(out) : undefined };
  };
  return { cli, ocm, plugins, dir, server, state, addCv, download };
}

describe("the wget access plugin", () => {
  it("downloads wget resources streamed from their URLs: redirects followed, basic and bearer credentials from the ocm config, verb, header and body sent (#14)", async () => {
    const { ocm, dir, server, state, addCv, download } = await setup();
    const ctf = join(dir, "ctf");
    const added = await addCv(ctf, [
      resource("data", ["type: wget", `url: ${server.url}/files/data.bin`, "mediaType: application/x-tar"]),
      resource("moved", ["type: Wget/v1", `url: ${server.url}/moved`]),
      resource("basic", ["type: wget", `url: ${server.url}/basic/data.bin`]),
      resource("bearer", ["type: wget", `url: ${server.url}/bearer/notes.txt`]),
      resource("posted", [
        "type: wget",
        `url: ${server.url}/echo`,
        "verb: POST",
        "header: {X-Flavour: [vanilla]}",
        `body: ${Buffer.from("hello body").toString("base64")}`,
      ]),
    ]);
    expect(added.stderr).toBe("");
    expect(added.exitCode).toBe(0);
    const ref = `${ctf}//${COMPONENT}:1.0.0`;
    for (const name of ["data", "moved", "basic"]) {
      const got = await download(ref, name);
      expect(got.stderr).toBe("");
      expect(got.exitCode).toBe(0);
      expect(got.bytes?.equals(state.data)).toBe(true);
    }
    expect((await download(ref, "bearer")).bytes?.toString()).toBe("bearer notes\n");
    expect((await download(ref, "posted")).bytes?.toString()).toBe("vanilla:hello body");
    // Credentials went only where the config names them.
    expect(state.seenAuth.map((line) => line.split(" ")[0])).toEqual([
      "/basic/data.bin",
      "/bearer/notes.txt",
    ]);
    const json = await ocm("get", "resources", ref, "-o", "json");
    expect(json.stdout).not.toContain(PASSWORD);
  });

  it("signs and verifies wget resources by their bytes; bytes changed on the server fail verify naming the resource, and download and transfer --copy-resources keep nothing (#14)", async () => {
    const { ocm, dir, server, state, addCv, download } = await setup();
    const ctf = join(dir, "ctf");
    await addCv(ctf, [resource("data", ["type: wget", `url: ${server.url}/basic/data.bin`])]);
    const ref = `${ctf}//${COMPONENT}:1.0.0`;
    const signed = await ocm(
      "sign",
      "cv",
      ref,
      "--signature",
      "acme",
      "--private-key",
      join(KEYS, "signer.rsa.key"),
    );
    expect(signed.stderr).toBe("");
    expect(signed.exitCode).toBe(0);
    const got = await ocm("get", "cv", ref, "-o", "json");
    const [data] = (JSON.parse(got.stdout) as { component: { resources: { digest: unknown }[] } }).component
      .resources;
    expect(data?.digest).toEqual({
      hashAlgorithm: "SHA-256",
      normalisationAlgorithm: "genericBlobDigest/v1",
      value: sha256(state.data),
    });
    const verify = () =>
      ocm("verify", "cv", ref, "--signature", "acme", "--public-key", join(KEYS, "signer.rsa.pub"));
    expect((await verify()).exitCode).toBe(0);

    const original = state.data;
    state.data = Buffer.concat([state.data.subarray(0, 1000), Buffer.from("tampered")]);
    const tampered = await verify();
    expect(tampered.exitCode).toBe(1);
    expect(tampered.stderr).toContain("Code: OCM_SIGNING_BLOB_DIGEST_MISMATCH");
    expect(tampered.stderr).toContain(
      `resource data of ${COMPONENT}:1.0.0: wget access ${server.url}/basic/data.bin: content has sha256 ${sha256(state.data)}, the resource's digest says ${sha256(original)}`,
    );
    const failed = await download(ref, "data");
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain("Code: OCM_REPOSITORY_DIGEST_MISMATCH");
    expect(failed.bytes).toBeUndefined();
    // The host stores what an access serves on transfer without checking it: the plugin's check stops it.
    const target = join(dir, "target");
    const transferred = await ocm("transfer", "cv", ref, target, "--copy-resources");
    expect(transferred.exitCode).toBe(1);
    expect(transferred.stderr).toContain("Code: OCM_REPOSITORY_DIGEST_MISMATCH");
    expect((await ocm("get", "cv", `${target}//${COMPONENT}:1.0.0`)).exitCode).toBe(1);
  });

  it("copies wget resources by value with transfer --copy-resources: local blobs of the same digest and media type that need no plugin (#14)", async () => {
    const { cli, ocm, dir, server, state, addCv, download } = await setup();
    const ctf = join(dir, "ctf");
    await addCv(ctf, [
      resource("data", ["type: wget", `url: ${server.url}/files/data.bin`, "mediaType: application/x-tar"]),
      resource("bearer", ["type: wget", `url: ${server.url}/bearer/notes.txt`]),
    ]);
    const ref = `${ctf}//${COMPONENT}:1.0.0`;
    expect(
      (await ocm("sign", "cv", ref, "--signature", "acme", "--private-key", join(KEYS, "signer.rsa.key")))
        .exitCode,
    ).toBe(0);
    const target = join(dir, "target");
    const transferred = await ocm("transfer", "cv", ref, target, "--copy-resources");
    expect(transferred.stderr).toBe("");
    expect(transferred.exitCode).toBe(0);

    const copyRef = `${target}//${COMPONENT}:1.0.0`;
    const copied = JSON.parse((await cli("get", "cv", copyRef, "-o", "json")).stdout) as {
      component: {
        resources: { name: string; access: Record<string, unknown>; digest: { value: string } }[];
      };
    };
    const [data, bearer] = copied.component.resources;
    expect(data?.access).toMatchObject({
      type: "localBlob",
      mediaType: "application/x-tar",
      globalAccess: { type: "wget", url: `${server.url}/files/data.bin` },
    });
    expect(data?.digest.value).toBe(sha256(state.data));
    expect(bearer?.access).toMatchObject({ type: "localBlob", mediaType: "text/plain" });
    // `cli` runs ocm without the plugin directory, and the server now serves other bytes.
    state.data = Buffer.from("other bytes");
    const got = await download(copyRef, "data", cli);
    expect(got.stderr).toBe("");
    expect(got.bytes?.toString("hex")).not.toBe(state.data.toString("hex"));
    expect(sha256(got.bytes ?? Buffer.alloc(0))).toBe(data?.digest.value);
    const verified = await cli(
      "verify",
      "cv",
      copyRef,
      "--signature",
      "acme",
      "--public-key",
      join(KEYS, "signer.rsa.pub"),
    );
    expect(verified.stderr).toBe("");
    expect(verified.exitCode).toBe(0);
  });

  it("reports a 404, a redirect loop and an untrusted TLS certificate with the URL and a hint, never the secrets in the URL (#14)", async () => {
    const { dir, server, addCv, download } = await setup();
    const tls = await useHttpServer((_req, res) => res.end("secure"), await selfSignedCertificate());
    const ctf = join(dir, "ctf");
    await addCv(ctf, [
      resource("missing", ["type: wget", `url: ${server.url}/basic/missing.bin?token=${PASSWORD}`]),
      resource("loop", ["type: wget", `url: ${server.url}/loop/a`]),
      resource("tls", ["type: wget", `url: ${tls.url}/file`]),
    ]);
    const ref = `${ctf}//${COMPONENT}:1.0.0`;

    const missing = await download(ref, "missing");
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain(
      `Error: wget access GET ${server.url}/basic/missing.bin?token=…: HTTP 404 Not Found`,
    );
    expect(missing.stderr).toContain("Code: OCM_ACCESS_NOT_FOUND");
    expect(missing.stderr).toContain("Try: The server has nothing at this URL");
    expect(missing.stderr).not.toContain(PASSWORD);
    expect(missing.bytes).toBeUndefined();

    const loop = await download(ref, "loop");
    expect(loop.exitCode).toBe(1);
    expect(loop.stderr).toContain(
      `wget access ${server.url}/loop/a: redirect loop back to ${server.url}/loop/a`,
    );
    expect(loop.stderr).toContain("Code: OCM_ACCESS_REDIRECT_LOOP");

    const tlsFailed = await download(ref, "tls");
    expect(tlsFailed.exitCode).toBe(1);
    expect(tlsFailed.stderr).toContain(`wget access ${tls.url}/file: TLS handshake failed`);
    expect(tlsFailed.stderr).toContain("Code: OCM_ACCESS_TLS_FAILED");
    expect(tlsFailed.stderr).toContain("NODE_EXTRA_CA_CERTS");
  });

  it("says which consumer identity needs credentials when the server refuses the request (#14)", async () => {
    const { cli, dir, server, addCv, download, plugins } = await setup();
    await writeFile(
      join(cli.home, ".ocmconfig"),
      JSON.stringify({ type: "credentials.config.ocm.software", consumers: [] }),
    );
    const ctf = join(dir, "ctf");
    await addCv(ctf, [resource("basic", ["type: wget", `url: ${server.url}/basic/data.bin`])]);
    const refused = await download(`${ctf}//${COMPONENT}:1.0.0`, "basic", (...args) =>
      cli("--plugin-dir", plugins, ...args),
    );
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(
      `Error: wget access GET ${server.url}/basic/data.bin: HTTP 401 Unauthorized`,
    );
    expect(refused.stderr).toContain("Code: OCM_ACCESS_UNAUTHORIZED");
    expect(refused.stderr).toContain(
      `"type":"wget","hostname":"127.0.0.1","port":"${server.port}","pathprefix":"basic/data.bin"`,
    );
  });

  it("names the wget plugin and the command to install it when a wget resource is used without it (#14)", async () => {
    const { cli, dir, server, addCv, download } = await setup();
    const ctf = join(dir, "ctf");
    await addCv(ctf, [resource("data", ["type: wget", `url: ${server.url}/files/data.bin`])]);
    const got = await download(`${ctf}//${COMPONENT}:1.0.0`, "data", cli);
    expect(got.exitCode).toBe(1);
    expect(got.stderr).toContain('no plugin offers resourceRepository for type "wget"');
    expect(got.stderr).toContain("ocm plugin install <repository>//ocm.software/plugins/wget");
  });

  it("passes ocm plugin verify (#14)", async () => {
    const { cli, plugins } = await setup();
    const verified = await cli("plugin", "verify", join(plugins, "wget"), "-o", "json");
    const report = JSON.parse(verified.stdout) as { checks: { name: string; status: string }[] };
    const failed = report.checks.filter((c) => c.status === "fail");
    expect(failed).toEqual([]);
    expect(report.checks.map((c) => c.name)).toContain("smoke consumerIdentity Wget/v1");
  });
});
