// Starts a real `docker-registry` (distribution 2.x, Debian) on a free loopback port with its storage in a
// temp dir, optionally behind htpasswd basic auth or a token server running in the test process, so the
// OCI plugin is tested against the registry users run, not a mock.
import { execFile, spawn } from "node:child_process";
import { createSign, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import getPort from "get-port";

const REGISTRY_BIN = "/usr/bin/docker-registry";
const INSTALL = "apt-get install -y docker-registry skopeo";

/** The user and password every auth-enabled test registry accepts. */
export const REGISTRY_USER = "ocm-tester";
export const REGISTRY_PASSWORD = "ocm-test-secret-7f3a";
/** A refresh token (OCM `identityToken`) the token server accepts in place of the password. */
export const REGISTRY_REFRESH_TOKEN = "ocm-test-refresh-token-91c2";
// bcrypt (cost 4) of REGISTRY_PASSWORD, made once with Python's `crypt.crypt(pw, mksalt(METHOD_BLOWFISH,
// rounds=16))`; Node has no bcrypt and `htpasswd` (apache2-utils) is not a test dependency.
const HTPASSWD = `${REGISTRY_USER}:$2b$04$YuM6IXwPEDxYHVuVpkdpt.d2wyQPDyHHAus30UVqzje7uAtN/X/z2\n`;

export interface RunningRegistry {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `127.0.0.1:<port>` */
  host: string;
  /** The registry's storage root (filesystem driver). */
  storage: string;
  /** `METHOD path` of every request the registry answered so far, from its access log. */
  requests(): string[];
  /** How many tokens the token server issued (token auth only). */
  tokensIssued(): number;
  stop(): Promise<void>;
}

export interface StartRegistryOptions {
  auth?: "basic" | "token";
}

/** Starts a registry and waits until `/v2/` answers; the caller must `stop()` it. */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<RunningRegistry> {
  if (!existsSync(REGISTRY_BIN)) {
    throw new Error(`${REGISTRY_BIN} is missing: install it with \`${INSTALL}\``);
  }
  const dir = await mkdtemp(join(tmpdir(), "ocm-registry-"));
  const port = await getPort({ host: "127.0.0.1" });
  let tokenServer: TokenServer | undefined;
  let auth = "";
  if (options.auth === "basic") {
    await writeFile(join(dir, "htpasswd"), HTPASSWD);
    auth = `auth:\n  htpasswd:\n    realm: ocm-test\n    path: ${join(dir, "htpasswd")}\n`;
  } else if (options.auth === "token") {
    tokenServer = await startTokenServer(dir);
    auth = [
      "auth:",
      "  token:",
      `    realm: ${tokenServer.url}/token`,
      `    service: ${TOKEN_SERVICE}`,
      `    issuer: ${TOKEN_ISSUER}`,
      `    rootcertbundle: ${join(dir, "token-cert.pem")}`,
      "",
    ].join("\n");
  }
  const config = [
    "version: 0.1",
    "log:",
    "  level: error",
    "  accesslog:",
    "    disabled: false",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${join(dir, "storage")}`,
    "  delete:",
    "    enabled: true",
    "http:",
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomUUID()}`,
    auth,
  ].join("\n");
  await writeFile(join(dir, "config.yml"), config);
  const child = spawn(REGISTRY_BIN, ["serve", join(dir, "config.yml")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  const collect = (chunk: Buffer) => log.push(...chunk.toString("utf8").split("\n"));
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    child.kill("SIGTERM");
    await exited;
    await tokenServer?.close();
    await rm(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForRegistry(url, () => child.exitCode !== null, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    host: `127.0.0.1:${port}`,
    storage: join(dir, "storage"),
    requests: () =>
      log.flatMap((line) => {
        const match = /"(GET|HEAD|POST|PUT|PATCH|DELETE) (\S+) HTTP\/[\d.]+"/.exec(line);
        return match ? [`${match[1]} ${match[2]}`] : [];
      }),
    tokensIssued: () => tokenServer?.issued() ?? 0,
    stop,
  };
}

async function waitForRegistry(url: string, exited: () => boolean, log: string[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`docker-registry exited at start:\n${log.join("\n")}`);
    const answer = await fetch(`${url}/v2/`).catch(() => undefined);
    if (answer !== undefined) {
      await answer.body?.cancel();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`docker-registry at ${url} did not answer /v2/ within 15s:\n${log.join("\n")}`);
}

const TOKEN_SERVICE = "ocm-test-registry";
const TOKEN_ISSUER = "ocm-test-token-issuer";

interface TokenServer {
  url: string;
  issued(): number;
  close(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

/**
 * A token server as distribution's `auth.token` expects (docs/spec/auth/jwt.md): RS256 JWTs whose `x5c`
 * header carries a self-signed certificate that the registry trusts as its root bundle. It grants every
 * requested action to REGISTRY_USER (password or refresh token) and nothing to anyone else.
 */
async function startTokenServer(dir: string): Promise<TokenServer> {
  const keyPath = join(dir, "token-key.pem");
  const certPath = join(dir, "token-cert.pem");
  await promisify(execFile)("openssl", [
    ...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"],
    ...["-keyout", keyPath, "-out", certPath, "-subj", `/CN=${TOKEN_ISSUER}`],
  ]);
  const key = await readFile(keyPath, "utf8");
  const certDer = Buffer.from(
    (await readFile(certPath, "utf8")).replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""),
    "base64",
  );
  let issued = 0;
  const sign = (scopes: string[]) => {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: "RS256", typ: "JWT", x5c: [certDer.toString("base64")] };
    const access = scopes.flatMap((scope) => {
      const [type, name, actions] = scope.split(":");
      return type && name && actions ? [{ type, name, actions: actions.split(",") }] : [];
    });
    const claims = {
      iss: TOKEN_ISSUER,
      sub: REGISTRY_USER,
      aud: TOKEN_SERVICE,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access,
    };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = createSign("RSA-SHA256").update(input).sign(key);
    issued += 1;
    return `${input}.${b64url(signature)}`;
  };
  const server: Server = createServer((req, res) => {
    void authorize(req).then((scopes) => {
      if (scopes === undefined) {
        res.writeHead(401, { "content-type": "application/json" });
        res.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "bad credentials" }] }));
        return;
      }
      const token = sign(scopes);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ token, access_token: token, expires_in: 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("token server has no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    issued: () => issued,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The scopes granted for a token request, or undefined when its credentials are wrong or missing. */
async function authorize(req: IncomingMessage): Promise<string[] | undefined> {
  const url = new URL(req.url ?? "/", "http://token");
  const params = new URLSearchParams();
  if (req.method === "POST") {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString("utf8"))) params.append(k, v);
  }
  for (const [k, v] of url.searchParams) params.append(k, v);
  const scopes = params.getAll("scope").flatMap((scope) => scope.split(" "));
  if (params.get("grant_type") === "refresh_token") {
    return params.get("refresh_token") === REGISTRY_REFRESH_TOKEN ? scopes : undefined;
  }
  if (params.get("grant_type") === "password") {
    return params.get("username") === REGISTRY_USER && params.get("password") === REGISTRY_PASSWORD
      ? scopes
      : undefined;
  }
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
  const expected = Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString("base64");
  return basic === expected ? scopes : undefined;
}
