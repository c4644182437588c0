// Runs the plugin contract suite against every form of the echo plugin.
import { execa } from "execa";
import { randomBytes } from "node:crypto";
import { chmod, copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPluginManager } from "../../manager/index.js";
import { echoPlugin } from "../fixtures/plugins/echo/definition.js";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { ECHO_CONFIG, defineContractSuite, type ContractTarget } from "./contract-suite.js";

async function externalTarget(
  install: (dir: string) => Promise<string>,
  transport: "unix" | "tcp",
): Promise<ContractTarget> {
  const home = await mkdtemp(join(tmpdir(), "ocm-ts-contract-"));
  const dir = join(home, "plugins");
  const id = await install(dir);
  const manager = createPluginManager({
    builtins: [],
    pluginDirs: [dir],
    cacheFile: false,
    env: {},
    home,
    transport,
    handleSignals: false,
    logLevel: "silent",
    pluginConfig: { [id]: ECHO_CONFIG },
  });
  return {
    manager,
    id,
    external: true,
    async cleanup() {
      await manager.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

async function installFile(source: string, dir: string, name: string): Promise<string> {
  const { mkdir } = await import("node:fs/promises");
  await mkdir(dir, { recursive: true });
  await copyFile(source, join(dir, name));
  await chmod(join(dir, name), 0o755);
  return name.replace(/\.[^.]+$/, "");
}

const installSdkPlugin = async (dir: string) =>
  installFile(await bundleExecutable("test/fixtures/plugins/echo/main.ts", "echo-sdk"), dir, "echo.mjs");
const installPythonPlugin = (dir: string) =>
  installFile(join(REPO_ROOT, "test/fixtures/plugins/python/echo_plugin.py"), dir, "echo-py.py");

defineContractSuite("in-process", async () => {
  const manager = createPluginManager({
    builtins: [echoPlugin],
    cacheFile: false,
    env: {},
    home: await mkdtemp(join(tmpdir(), "ocm-ts-contract-")),
    handleSignals: false,
    logLevel: "silent",
    pluginConfig: { echo: ECHO_CONFIG },
  });
  return { manager, id: "echo", external: false, cleanup: () => manager.close() };
});
defineContractSuite("TypeScript SDK executable over a unix socket", () =>
  externalTarget(installSdkPlugin, "unix"),
);
defineContractSuite("TypeScript SDK executable over TCP", () => externalTarget(installSdkPlugin, "tcp"));
defineContractSuite("Python executable over a unix socket", () =>
  externalTarget(installPythonPlugin, "unix"),
);
defineContractSuite("Python executable over TCP", () => externalTarget(installPythonPlugin, "tcp"));

/** The echo plugin as a plugin service in its own process, reached as a remote plugin (ADR 0009). */
async function remoteTarget(): Promise<ContractTarget> {
  const home = await mkdtemp(join(tmpdir(), "ocm-ts-contract-"));
  const token = randomBytes(32).toString("base64url");
  const script = await bundleExecutable("test/fixtures/plugins/remote/echo-service.ts", "echo-service");
  const child = execa("node", [script], {
    reject: false,
    env: { OCM_TEST_TOKEN: token, OCM_TEST_CONFIG: JSON.stringify(ECHO_CONFIG) },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      const listening = /listening (\S+)\n/.exec((text += chunk.toString()));
      if (listening) resolve(listening[1] as string);
    });
    void child.then((result) => reject(new Error(`the echo service exited: ${String(result.stderr)}`)));
  });
  const configFile = join(home, "ocmconfig.yaml");
  await writeFile(
    configFile,
    `type: plugin.config.ocm.software/v1\nplugins:\n  echo:\n    remote:\n      urls: [${url}]\n      tokenFrom: env:ECHO_TOKEN\n`,
  );
  const manager = createPluginManager({
    builtins: [],
    pluginDirs: [],
    configFile,
    cacheFile: false,
    env: { ECHO_TOKEN: token },
    home,
    handleSignals: false,
    logLevel: "silent",
  });
  return {
    manager,
    id: "echo",
    external: true,
    remote: true,
    async cleanup() {
      await manager.close();
      child.kill("SIGKILL");
      await child;
      await rm(home, { recursive: true, force: true });
    },
  };
}

defineContractSuite("TypeScript SDK service over loopback HTTP, as a remote plugin", remoteTarget);
