// Ordinary faults are reported as such, not as "internal error" (#10): a registry that closes the
// connection midway, system errors (a full disk, a refused connection), and references with a bad port or
// a password, which is never echoed.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { createServer, request as httpRequest, type Server } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import { Writable } from "node:stream";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OcmError } from "../../core/index.js";
import { reportError } from "../../cmd/errors.js";
import { ocmCli } from "../helpers/cli.js";
import { startRegistry, type RunningRegistry } from "../helpers/registry.js";
import { useTempDir } from "../helpers/temp-dir.js";

let registry: RunningRegistry;
beforeAll(async () => {
  registry = await startRegistry();
});
afterAll(async () => {
  await registry.stop();
});

/** A proxy in front of the registry that sends half of each GET answer `cut` picks and then closes the connection. */
async function cuttingProxy(
  cut: (path: string) => boolean,
): Promise<{ host: string; close(): Promise<void> }> {
  const target = new URL(registry.url);
  const server: Server = createServer((req, res) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (req.method !== "GET" || !cut(req.url ?? "")) return void answer.pipe(res);
        const half = Math.floor(Number(answer.headers["content-length"]) / 2);
        let sent = 0;
        answer.on("data", (chunk: Buffer) => {
          if (sent >= half) return;
          res.write(chunk.subarray(0, half - sent));
          sent += Math.min(chunk.length, half - sent);
          if (sent >= half) setTimeout(() => res.socket?.destroy(), 50);
        });
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    host: `127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.closeAllConnections() ?? server.close(() => resolve())),
  };
}

function capture() {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString("utf8");
      done();
    },
  });
  return { stream, text: () => text };
}

describe("clear failures (#10)", () => {
  it("reports a registry closing the connection mid-blob or mid-listing as a request failure and keeps no file (#10)", async () => {
    const ocm = await ocmCli();
    const dir = await useTempDir();
    const data = randomBytes(4 * 1024 * 1024);
    const digest = `sha256:${createHash("sha256").update(data).digest("hex")}`;
    await writeFile(join(dir, "data.bin"), data);
    await writeFile(
      join(dir, "constructor.yaml"),
      "components:\n  - name: acme.org/cut\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n" +
        "      - name: data\n        type: blob\n        input: {type: file, path: data.bin}\n",
    );
    const ctf = join(dir, "ctf");
    expect(
      (
        await ocm(
          "add",
          "cv",
          "--create",
          "--repository",
          ctf,
          "--constructor",
          join(dir, "constructor.yaml"),
        )
      ).exitCode,
    ).toBe(0);
    const path = `cut-${Date.now()}`;
    const pushed = await ocm(
      "transfer",
      "cv",
      "-q",
      `${ctf}//acme.org/cut:1.0.0`,
      `${registry.host}/${path}`,
    );
    expect(pushed.stderr).toBe("");
    const proxy = await cuttingProxy((path) => path.endsWith(`/blobs/${digest}`));
    try {
      const out = join(dir, "out");
      await writeFile(join(dir, "keep"), "");
      const result = await ocm(
        "download",
        "resource",
        `${proxy.host}/${path}//acme.org/cut:1.0.0`,
        "data",
        "-O",
        out,
      );
      expect(result.stderr).toContain("Code: OCM_OCI_REQUEST_FAILED");
      expect(result.stderr).toMatch(/the connection broke after \d+ of 4194304 bytes/);
      expect(result.stderr).not.toContain("internal error");
      expect(result.exitCode).toBe(1);
      expect((await readdir(dir)).sort()).toEqual(["constructor.yaml", "ctf", "data.bin", "keep"]);
    } finally {
      await proxy.close();
    }
    const listing = await cuttingProxy((path) => path.includes("/tags/list"));
    try {
      const result = await ocm("get", "cv", `${listing.host}/${path}//acme.org/cut`);
      expect(result.stderr).toContain("Code: OCM_OCI_REQUEST_FAILED");
      expect(result.stderr).toMatch(/tags\/list: the connection broke after \d+ bytes/);
      expect(result.exitCode).toBe(1);
    } finally {
      await listing.close();
    }
  });

  it("reports a full disk during a download with the target's path, exit 1, and leaves nothing (#10)", async () => {
    const ocm = await ocmCli();
    const dir = await useTempDir();
    await writeFile(join(dir, "big.bin"), randomBytes(3 << 20));
    await writeFile(
      join(dir, "constructor.yaml"),
      "components:\n  - name: acme.org/big\n    version: 1.0.0\n    provider: {name: acme.org}\n    resources:\n" +
        "      - name: data\n        type: blob\n        input: {type: file, path: big.bin}\n",
    );
    const ctf = join(dir, "ctf");
    expect(
      (
        await ocm(
          "add",
          "cv",
          "--create",
          "--repository",
          ctf,
          "--constructor",
          join(dir, "constructor.yaml"),
        )
      ).exitCode,
    ).toBe(0);
    const small = join(dir, "small");
    await mkdir(small);
    await execa("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", small]);
    try {
      const out = join(small, "out.bin");
      const result = await ocm("download", "resource", `${ctf}//acme.org/big:1.0.0`, "data", "-O", out);
      expect(result.stderr).toContain(`Error: ENOSPC: cannot write ${out}`);
      expect(result.stderr).toContain("Code: OCM_SYSTEM_IO");
      expect(result.exitCode).toBe(1);
      expect(await readdir(small)).toEqual([]);
    } finally {
      await execa("umount", [small]);
    }
  });

  it("refuses port 99999 in a reference, naming the port (#10)", async () => {
    const ocm = await ocmCli();
    const result = await ocm("get", "cv", "127.0.0.1:99999/x//acme.org/x:1.0.0");
    expect(result.stderr).toContain("Code: OCM_REFERENCE_INVALID");
    expect(result.stderr).toContain("port 99999");
    expect(result.exitCode).toBe(1);
  });

  it("never echoes a password given in a reference URL (#10)", async () => {
    const ocm = await ocmCli();
    const result = await ocm("get", "cv", "http://alice:s3cr3t-pw@127.0.0.1:5999//acme.org/x:1.0.0");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("Code: OCM_REFERENCE_INVALID");
    expect(result.stderr).not.toContain("s3cr3t-pw");
    expect(result.stderr).not.toContain("alice");
  });

  it("reports system errors with their own code, path or address, and exit 1 (#10)", async () => {
    const full = await writeFile("/dev/full", "x").catch((error: unknown) => error);
    const out = capture();
    expect(reportError(full, out.stream)).toBe(1);
    expect(out.text()).toContain("Error: a file operation failed: ENOSPC: no space left on device, write");
    expect(out.text()).toContain("Code: OCM_SYSTEM_IO");
    expect(out.text()).toContain("Try: The device is full");

    const refused = await new Promise<unknown>((resolve) => {
      const socket = connect(1, "127.0.0.1");
      socket.once("error", resolve);
    });
    const wrapped = new TypeError("fetch failed", { cause: refused });
    const net = capture();
    expect(reportError(wrapped, net.stream)).toBe(1);
    expect(net.text()).toContain("Code: OCM_SYSTEM_NETWORK");
    expect(net.text()).toContain("Error: connection to 127.0.0.1:1 failed: connect ECONNREFUSED 127.0.0.1:1");

    const notDir = await readFile("/etc/passwd/x").catch((error: unknown) => error);
    const io = capture();
    expect(reportError(notDir, io.stream)).toBe(1);
    expect(io.text()).toContain("Error: ENOTDIR: cannot open /etc/passwd/x\nCode: OCM_SYSTEM_IO");

    const bug = capture();
    expect(reportError(new TypeError("x is not a function"), bug.stream)).toBe(70);
    expect(bug.text()).toContain("Code: OCM_INTERNAL");
  });

  it("masks passwords in URLs and escapes control characters in everything it prints (#10)", () => {
    const out = capture();
    const error = new OcmError({
      code: "OCM_OCI_REQUEST_FAILED",
      message: "GET https://bob:hunter2@registry.example/v2/: \u001b[31mfailed\u001b[0m",
      hint: "retry http://bob:hunter2@registry.example",
      cause: new Error("connect https://bob:hunter2@registry.example\r\u0008"),
    });
    reportError(error, out.stream);
    expect(out.text()).not.toContain("hunter2");
    expect(out.text()).toContain("https://***@registry.example/v2/: \\x1b[31mfailed\\x1b[0m");
    expect(out.text()).toContain("Caused by: connect https://***@registry.example\\x0d\\x08");
  });
});
