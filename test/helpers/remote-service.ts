// A plugin service for tests (ADR 0009): the CTF plugin's code served by serveRemote in its own process
// (test/fixtures/plugins/remote/serve-ctf.ts), with a CA and a server certificate made by openssl.
import { execa } from "execa";
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { bundleExecutable } from "./executables.js";

/** The bearer token every test service requires. */
export const REMOTE_TOKEN = randomBytes(32).toString("base64url");

/** A CA and a server certificate for 127.0.0.1 signed by it, made with openssl in `dir`. */
export async function makeCertificates(dir: string) {
  const openssl = (...args: string[]) => execa("/usr/bin/openssl", args, { cwd: dir });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await openssl(
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=ocm test CA",
  );
  await openssl("req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
  await writeFile(
    join(dir, "ext.cnf"),
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n",
  );
  await openssl(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.pem",
    "-days",
    "2",
    "-extfile",
    "ext.cnf",
  );
  // A client certificate from the same CA, for mTLS.
  await openssl("req", ...ec, "-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=ocm test client");
  await writeFile(join(dir, "client.cnf"), "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n");
  await openssl(
    "x509",
    "-req",
    "-in",
    "client.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "client.pem",
    "-days",
    "2",
    "-extfile",
    "client.cnf",
  );
  return {
    ca: join(dir, "ca.pem"),
    cert: join(dir, "server.pem"),
    key: join(dir, "server.key"),
    clientCert: join(dir, "client.pem"),
    clientKey: join(dir, "client.key"),
  };
}

export type Certificates = Awaited<ReturnType<typeof makeCertificates>>;

/** Starts the CTF plugin service as its own process; stopped when the test ends. */
export async function startService(
  certs: Certificates | undefined,
  extra: { port?: number; slowMs?: number; version?: string; mtls?: boolean } = {},
) {
  const script = await bundleExecutable("test/fixtures/plugins/remote/serve-ctf.ts", "serve-ctf");
  const child = execa("node", [script], {
    reject: false,
    env: {
      ...(extra.mtls ? { OCM_TEST_CLIENT_CA: certs?.ca ?? "" } : { OCM_TEST_TOKEN: REMOTE_TOKEN }),
      ...(extra.version ? { OCM_TEST_VERSION: extra.version } : {}),
      OCM_TEST_PORT: String(extra.port ?? 0),
      ...(certs ? { OCM_TEST_CERT: certs.cert, OCM_TEST_KEY: certs.key } : {}),
      ...(extra.slowMs ? { OCM_TEST_SLOW_MS: String(extra.slowMs) } : {}),
    },
  });
  onTestFinished(() => void child.kill("SIGKILL"));
  let onBlob: () => void = () => undefined;
  const blobStarted = new Promise<void>((resolve) => (onBlob = resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const listening = /listening (\S+)\n/.exec(text);
      if (listening) resolve(listening[1] as string);
      if (/blob \d+\n/.test(text)) onBlob();
    });
    void child.then((result) => reject(new Error(`the service exited: ${String(result.stderr)}`)));
  });
  return { url, port: Number(new URL(url).port), child, blobStarted };
}
