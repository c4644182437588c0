// Docker's own config file reaches the OCI plugin through the credentials plugin (#12, ADR 0006): the host
// asks the credential repository of the registry's consumer type, which reads `$DOCKER_CONFIG/config.json`
// or `~/.docker/config.json`; against a real registry that wants a password, through the bundled CLI.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, ocmCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";
import {
  REGISTRY_PASSWORD,
  REGISTRY_USER,
  startRegistry,
  type RunningRegistry,
} from "../helpers/registry.js";

const CTF = join(REPO_ROOT, "test/fixtures/ocm/ctf-v0.20-localblob/transport-archive");
const COMPONENT = "github.com/acme.org/helloworld";

let registry: RunningRegistry;
beforeAll(async () => {
  registry = await startRegistry({ auth: "basic" });
});
afterAll(async () => {
  await registry.stop();
});

/** A docker config.json granting `password` for the test registry. */
const dockerConfig = (password: string) =>
  JSON.stringify({
    auths: { [registry.host]: { auth: Buffer.from(`${REGISTRY_USER}:${password}`).toString("base64") } },
  });

describe("docker config credentials for a registry (#12)", () => {
  it("gives ocm transfer and ocm get cv the password of ~/.docker/config.json, and fails without it (#12)", async () => {
    const ocm = await ocmCli();
    const target = `${registry.host}/docker-home`;
    const refused = await ocm("transfer", "-q", `${CTF}//${COMPONENT}:1.0.0`, target);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("OCM_OCI_UNAUTHORIZED");

    await mkdir(join(ocm.home, ".docker"));
    await writeFile(join(ocm.home, ".docker", "config.json"), dockerConfig("wrong-password"));
    const wrong = await ocm("transfer", "-q", `${CTF}//${COMPONENT}:1.0.0`, target);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toContain("OCM_OCI_UNAUTHORIZED");
    expect(wrong.stderr).not.toContain("wrong-password");

    await writeFile(join(ocm.home, ".docker", "config.json"), dockerConfig(REGISTRY_PASSWORD));
    const copied = await ocm("transfer", "-q", `${CTF}//${COMPONENT}:1.0.0`, target);
    expect(copied.stderr).toBe("");
    expect(copied.exitCode).toBe(0);
    const read = await ocm("get", "cv", `${target}//${COMPONENT}`);
    expect(read.stderr).toBe("");
    expect(read.stdout).toContain("1.0.0");
  });

  it("reads $DOCKER_CONFIG/config.json instead when it is set (#12)", async () => {
    const ocm = await ocmCli();
    const dir = join(ocm.home, "elsewhere");
    await mkdir(dir);
    await writeFile(join(dir, "config.json"), dockerConfig(REGISTRY_PASSWORD));
    await mkdir(join(ocm.home, ".docker"));
    await writeFile(join(ocm.home, ".docker", "config.json"), dockerConfig("wrong-password"));
    const run = (...args: string[]) =>
      execa(ocm.path, args, {
        reject: false,
        cwd: ocm.home,
        env: { ...cliEnv(ocm.home), DOCKER_CONFIG: dir },
      });
    const copied = await run("transfer", "-q", `${CTF}//${COMPONENT}:1.0.0`, `${registry.host}/docker-env`);
    expect(copied.stderr).toBe("");
    expect(copied.exitCode).toBe(0);
    const shown = await run("get", "credentials", `${registry.host}/docker-env`);
    expect(shown.stdout).toContain(`source:   docker config ${join(dir, "config.json")}`);
  });
});
