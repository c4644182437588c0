// Whom to ask for credentials (#12, ADR 0006): an external plugin in Python that serves consumerIdentity
// names the identity of its repositories, and the credentials the ocm config keeps for that identity reach
// it with the call; a type whose plugin names none gets no credentials, whatever the config holds.
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ocmCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";

const FIXTURE = join(REPO_ROOT, "test/fixtures/plugins/consumer-identity/guarded_repository.py");

const CONFIG = `type: credentials.config.ocm.software
consumers:
  - identity: {type: GuardedRepository, hostname: vault.example}
    credentials: [{type: Credentials/v1, properties: {username: alice, password: open-sesame}}]
  - identity: {type: OpenRepository}
    credentials: [{type: Credentials/v1, properties: {username: mallory, password: open-sesame}}]
`;

async function setup() {
  const cli = await ocmCli();
  const dir = join(cli.home, "plugins");
  await mkdir(dir);
  await copyFile(FIXTURE, join(dir, "guarded-repository"));
  await writeFile(join(cli.home, ".ocmconfig"), CONFIG);
  return (...args: string[]) => cli("--plugin-dir", dir, ...args);
}

const ref = (type: string, host: string) => `${type}::{"host":"${host}"}//acme.org/app:1.0.0`;

describe("consumerIdentity served by an external plugin (#12)", () => {
  it("routes the credentials of the identity the plugin names to that plugin (#12)", async () => {
    const ocm = await setup();
    const read = await ocm("get", "cv", ref("GuardedRepository/v1", "vault.example"), "-o", "yaml");
    expect(read.stderr).toBe("");
    expect(read.exitCode).toBe(0);
    expect(read.stdout).toMatch(/name: received-user\s+value: alice/);

    // Another host is another consumer: no credentials are configured for it, and the plugin refuses.
    const other = await ocm("get", "cv", ref("GuardedRepository/v1", "other.example"));
    expect(other.exitCode).toBe(1);
    expect(other.stderr).toContain("other.example: credentials missing or wrong");
    expect(other.stderr).toContain("Code: OCM_ACCESS_UNAUTHORIZED");

    const shown = await ocm("get", "credentials", 'GuardedRepository/v1::{"host":"vault.example"}');
    expect(shown.stderr).toBe("");
    expect(shown.stdout).toContain("consumer: type=GuardedRepository,hostname=vault.example");
    expect(shown.stdout).toContain("consumer 1 (Credentials/v1)");
    expect(shown.stdout).toMatch(/username\s+alice\npassword\s+\*\*\*/);
    expect(shown.stdout).not.toContain("open-sesame");
  });

  it("passes ocm plugin verify, its consumerIdentity route included (#12)", async () => {
    const ocm = await ocmCli();
    const verify = await ocm("plugin", "verify", FIXTURE);
    expect(verify.stdout).toMatch(/smoke consumerIdentity GuardedRepository\/v1\s+PASS/);
    expect(verify.exitCode).toBe(0);
  });

  it("sends no credentials to a type whose plugin names no consumer identity (#12)", async () => {
    const ocm = await setup();
    const read = await ocm("get", "cv", ref("OpenRepository/v1", "vault.example"), "-o", "yaml");
    expect(read.stderr).toBe("");
    expect(read.stdout).toMatch(/name: received-user\s+value: ""/);
    expect(read.stdout).not.toContain("mallory");

    const shown = await ocm("get", "credentials", 'OpenRepository/v1::{"host":"vault.example"}');
    expect(shown.exitCode).toBe(2);
    expect(shown.stderr).toContain("is a OpenRepository/v1 repository, which needs no credentials");
  });
});
