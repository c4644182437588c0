// A private CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl: what the
// remote plugin tests and the remote rows of `npm run bench` serve and trust.
import { execa } from "execa";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";

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
