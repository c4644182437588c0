// A plugin service for tests (ADR 0009): the CTF plugin's code served by serveRemote in its own process
// (test/fixtures/plugins/remote/serve-ctf.ts), with a CA and a server certificate made by openssl.
import { execa } from "execa";
import { randomBytes } from "node:crypto";
import { onTestFinished } from "vitest";
import { type Certificates } from "./certificates.js";
import { bundleExecutable } from "./executables.js";

export { makeCertificates, type Certificates } from "./certificates.js";

/** The bearer token every test service requires. */
export const REMOTE_TOKEN = randomBytes(32).toString("base64url");

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
