// A real npm registry for tests and benchmarks: Verdaccio (dev dependency) in a child process on a free
// loopback port, its config and storage in a given directory, no uplinks, anyone may read and publish.
// Packages are published with the real `npm publish` and a token of a user created on the registry.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { execa } from "execa";
import { REPO_ROOT } from "./executables.js";

export interface Verdaccio {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** Where Verdaccio keeps packages: `<storage>/<name>/<name>-<version>.tgz`. */
  storage: string;
  /** Runs `npm publish <packageDir>` against the registry. */
  publish(packageDir: string): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPing(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited with ${child.exitCode}: ${output()}`);
    try {
      if ((await fetch(`${url}/-/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`verdaccio did not answer ${url}/-/ping within 60 s: ${output()}`);
}

/** Starts Verdaccio with its config and storage in `dir`. */
export async function startVerdaccio(dir: string): Promise<Verdaccio> {
  const storage = join(dir, "storage");
  const config = join(dir, "verdaccio.yaml");
  await writeFile(
    config,
    [
      `storage: ${storage}`,
      "auth:",
      "  htpasswd:",
      `    file: ${join(dir, "htpasswd")}`,
      "    max_users: 100",
      "uplinks: {}",
      "packages:",
      "  '**':",
      "    access: $all",
      "    publish: $all",
      "max_body_size: 1gb",
      "log: { type: stdout, format: json, level: error }",
      "",
    ].join("\n"),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const bin = join(REPO_ROOT, "node_modules/verdaccio/bin/verdaccio");
  const child = spawn(process.execPath, [bin, "--config", config, "--listen", `127.0.0.1:${port}`], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_NO_WARNINGS: "1" },
  });
  let output = "";
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await once(child, "exit");
    clearTimeout(timer);
  };
  try {
    await waitForPing(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }

  const user = await fetch(`${url}/-/user/org.couchdb.user:tester`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "tester", password: "tester-password" }),
  });
  const { token } = (await user.json()) as { token?: string };
  if (!token) throw new Error(`verdaccio did not create a user: HTTP ${user.status}`);
  const npmrc = join(dir, ".npmrc");
  await writeFile(npmrc, `//127.0.0.1:${port}/:_authToken=${token}\n`);
  const publish = async (packageDir: string) => {
    await execa("npm", ["publish", packageDir, "--registry", `${url}/`, "--userconfig", npmrc], {
      cwd: dir,
      env: { npm_config_cache: join(dir, "npm-cache"), npm_config_update_notifier: "false" },
    });
  };
  return { url, storage, publish, stop };
}
