// A real HTTP or HTTPS server on a free loopback port for a test, closed when the test finishes. HTTPS uses
// a self-signed certificate for 127.0.0.1 made with openssl in a temp dir.
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { execa } from "execa";
import { onTestFinished } from "vitest";
import { useTempDir } from "./temp-dir.js";

export type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** A self-signed certificate and key for 127.0.0.1 (PEM). */
export async function selfSignedCertificate(): Promise<{ cert: Buffer; key: Buffer; certFile: string }> {
  const dir = await useTempDir("ocm-ts-tls-");
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  await execa("openssl", [
    ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
    ...["-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=127.0.0.1"],
    ...["-addext", "subjectAltName=IP:127.0.0.1"],
  ]);
  return { cert: await readFile(certFile), key: await readFile(keyFile), certFile };
}

/** Starts `handler` on 127.0.0.1:<free port>; returns its base URL (no trailing slash). */
export async function useHttpServer(
  handler: Handler,
  tls?: { cert: Buffer; key: Buffer },
): Promise<{ url: string; port: number; server: Server }> {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  };
  const server: Server = tls ? createHttpsServer(tls, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `${tls ? "https" : "http"}://127.0.0.1:${port}`, port, server };
}
