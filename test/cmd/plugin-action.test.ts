// `ocm plugin action` (#17 item 4): actions a plugin declares, run from the CLI with their progress on stderr
// and their answer on stdout: the OCI plugin's prepare-repository against a real registry, the Python
// example's list-consumers; data that breaks an action's schema and scopes a plugin is disabled for are
// refused before the plugin is called.
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it, onTestFinished } from "vitest";
import { cliEnv, ocmCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { REGISTRY_PASSWORD, REGISTRY_USER, startRegistry } from "../helpers/registry.js";

interface Run {
  plugin: string;
  action: string;
  type: string;
  scope: { name: string; config?: unknown };
  ok: boolean;
  message?: string;
  result?: Record<string, unknown>;
}

interface Check {
  name: string;
  status: string;
  reason: string;
}

const runOf = (stdout: string) => JSON.parse(stdout) as Run;
const checksOf = (run: Run) => (run.result as { checks: Check[] }).checks;

/** Docker's config.json in the CLI's home, with `password` for the registry at `host`. */
async function dockerLogin(home: string, host: string, password: string) {
  await mkdir(join(home, ".docker"), { recursive: true });
  const auth = Buffer.from(`${REGISTRY_USER}:${password}`).toString("base64");
  await writeFile(join(home, ".docker", "config.json"), JSON.stringify({ auths: { [host]: { auth } } }));
}

/** `ocm` with the Python example plugin in a plugin directory and credentials in its environment. */
async function withEnvCredentials() {
  const ocm = await ocmCli();
  const dir = join(ocm.home, "plugins");
  await mkdir(dir);
  await copyFile(join(REPO_ROOT, "plugins/examples/env-credentials.py"), join(dir, "env-credentials.py"));
  const env = {
    ...cliEnv(ocm.home),
    OCM_CRED_GHCR_IO_USERNAME: "me",
    OCM_CRED_GHCR_IO_PASSWORD: "ghcr-secret-value",
    OCM_CRED_REGISTRY_LOCAL_5000_TOKEN: "local-secret-value",
    TEAM_A_QUAY_IO_IDENTITY_TOKEN: "team-a-secret-value",
  };
  const run = (...args: string[]) =>
    execa(ocm.path, ["--plugin-dir", dir, ...args], { reject: false, cwd: ocm.home, env });
  return { run, home: ocm.home };
}

describe("ocm plugin action with the OCI plugin's prepare-repository (#17)", () => {
  it("lists the OCI plugin's actions with their descriptions", async () => {
    const ocm = await ocmCli();
    const table = await ocm("plugin", "action", "oci");
    expect(table.exitCode, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/ACTION\s+TYPE\s+REPOSITORY\s+DESCRIPTION/);
    expect(table.stdout).toMatch(/prepare-repository\s+OCIRegistry\/v1\s+yes\s+check that ocm can push/);

    const json = await ocm("plugin", "action", "oci", "-o", "json");
    const listed = JSON.parse(json.stdout) as {
      plugin: string;
      actions: { name: string; schema: unknown }[];
    };
    expect(listed.plugin).toBe("oci");
    expect(listed.actions[0]).toMatchObject({
      name: "prepare-repository",
      schema: { properties: { component: { type: "string" } } },
    });
  });

  it("checks a registry behind htpasswd: fails credentials without a login, passes with one, starting and cancelling an upload for the component", async () => {
    const registry = await startRegistry({ auth: "basic" });
    onTestFinished(() => registry.stop());
    const ocm = await ocmCli();
    const ref = `${registry.host}/acme`;

    const none = await ocm("plugin", "action", "oci", "prepare-repository", "--repository", ref);
    expect(none.exitCode).toBe(1);
    // Progress on stderr as each check completes, the answer on stdout.
    expect(none.stderr).toContain(`reachable: pass: ${registry.url}/v2/ answers and asks for credentials`);
    expect(none.stderr).toContain(
      `credentials: fail: the registry asks for credentials and none are configured for ${registry.host}`,
    );
    expect(none.stderr).toContain("Code: OCM_ACTION_FAILED");
    expect(none.stdout).toMatch(/\nFAIL: the registry asks for credentials/);

    await dockerLogin(ocm.home, registry.host, REGISTRY_PASSWORD);
    const right = await ocm(
      "plugin",
      "action",
      "oci",
      "prepare-repository",
      "--repository",
      ref,
      "--data",
      '{"component":"acme.org/app"}',
      "-o",
      "json",
    );
    expect(right.exitCode, right.stderr).toBe(0);
    const run = runOf(right.stdout);
    expect(run).toMatchObject({
      plugin: "oci",
      action: "prepare-repository",
      type: "OCIRegistry/v1",
      scope: { name: "*" },
      ok: true,
    });
    expect(checksOf(run).map((c) => [c.name, c.status])).toEqual([
      ["reachable", "pass"],
      ["credentials", "pass"],
      ["push", "pass"],
    ]);
    expect(checksOf(run)[1]?.reason).toBe(`the registry accepts the credentials of user ${REGISTRY_USER}`);
    expect(right.stderr).toContain(
      `push: pass: a blob upload to ${registry.host}/acme/component-descriptors/acme.org/app was started and cancelled`,
    );
    const requests = registry.requests();
    expect(requests).toContainEqual("POST /v2/acme/component-descriptors/acme.org/app/blobs/uploads/");
    expect(
      requests.some((r) => r.startsWith("DELETE /v2/acme/component-descriptors/acme.org/app/blobs/uploads/")),
    ).toBe(true);
    expect(requests.some((r) => r.startsWith("PUT"))).toBe(false);
    expect(right.stdout + right.stderr + none.stdout + none.stderr).not.toContain(REGISTRY_PASSWORD);
  });

  it("refuses data that breaks the action's schema before the plugin is called: the registry sees no request", async () => {
    const registry = await startRegistry();
    onTestFinished(() => registry.stop());
    const ocm = await ocmCli();
    const ref = `${registry.host}/acme`;
    // What the registry saw before: the helper's own readiness probe.
    const before = registry.requests().length;
    for (const [data, field] of [
      ['{"push":"yes"}', "push: must be boolean"],
      ['{"colour":"red"}', "colour: is not a field of the action's schema"],
      ['{"component":"Not A Name"}', "component: must match pattern"],
    ]) {
      const refused = await ocm(
        "plugin",
        "action",
        "oci",
        "prepare-repository",
        "--repository",
        ref,
        "--data",
        data as string,
      );
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain("Code: OCM_ACTION_DATA_INVALID");
      expect(refused.stderr).toContain(`action prepare-repository of plugin oci: data field ${field}`);
      expect(refused.stdout).toBe("");
    }
    const missing = await ocm("plugin", "action", "oci", "prepare-repository");
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain("works on a repository, and none was named");
    expect(registry.requests().slice(before)).toEqual([]);

    const unknown = await ocm("plugin", "action", "oci", "prune", "--repository", ref);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("Code: OCM_ACTION_NOT_FOUND");
    expect(unknown.stderr).toContain("Its actions: prepare-repository");
  });
});

describe("ocm plugin action with the Python example's list-consumers (#17)", () => {
  it("lists the consumers that have credentials in the environment, never their values, as a table and as JSON", async () => {
    const { run } = await withEnvCredentials();
    const listed = await run("plugin", "action", "env-credentials");
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/list-consumers\s+EnvCredentials\/v1\s+list the consumers/);

    const text = await run("plugin", "action", "env-credentials", "list-consumers");
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stderr).toBe("reading variables OCM_CRED_*");
    expect(text.stdout).toMatch(/stem: GHCR_IO/);
    expect(text.stdout).toMatch(/\nOK: 2 consumers with credentials$/);

    const json = await run("plugin", "action", "env-credentials", "list-consumers", "-o", "json");
    expect(json.exitCode, json.stderr).toBe(0);
    const answer = runOf(json.stdout);
    expect(answer).toMatchObject({ plugin: "env-credentials", type: "EnvCredentials/v1", ok: true });
    expect(answer.result).toEqual({
      prefix: "OCM_CRED",
      scope: "*",
      consumers: [
        { stem: "GHCR_IO", variables: "OCM_CRED_GHCR_IO_*", keys: ["password", "username"] },
        { stem: "REGISTRY_LOCAL_5000", variables: "OCM_CRED_REGISTRY_LOCAL_5000_*", keys: ["token"] },
      ],
    });
    expect(json.stdout + text.stdout).not.toMatch(/secret-value/);

    const other = await run(
      "plugin",
      "action",
      "env-credentials",
      "list-consumers",
      "--data",
      '{"prefix":"TEAM_A"}',
      "-o",
      "yaml",
    );
    expect(other.exitCode, other.stderr).toBe(0);
    expect(other.stdout).toContain("stem: QUAY_IO");
    expect(other.stdout).toContain("- identityToken");
  });

  it("refuses a prefix that breaks the action's schema with ocm's message, not the plugin's", async () => {
    const { run, home } = await withEnvCredentials();
    await writeFile(join(home, "data.json"), '{"prefix":"lower_case"}');
    const refused = await run(
      "plugin",
      "action",
      "env-credentials",
      "list-consumers",
      "--data",
      "@data.json",
    );
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain("Code: OCM_ACTION_DATA_INVALID");
    expect(refused.stderr).toContain(
      'action list-consumers of plugin env-credentials: data field prefix: must match pattern "^[A-Z][A-Z0-9_]*$"',
    );
    expect(refused.stderr).not.toContain("reading variables");

    const notJson = await run("plugin", "action", "env-credentials", "list-consumers", "--data", "{prefix}");
    expect(notJson.exitCode).toBe(2);
    expect(notJson.stderr).toContain("Code: OCM_USAGE_INVALID");
  });

  it("runs only in a scope the plugin is enabled for, with that scope's config, and refuses a disabled one", async () => {
    const { run, home } = await withEnvCredentials();
    const config = [
      "type: events.config.ocm.software/v1",
      "plugins:",
      "  env-credentials:",
      "    scopes:",
      '      - repository: "team-a/**"',
      "        config: { prefix: TEAM_A }",
      "",
    ].join("\n");
    await writeFile(join(home, ".ocmconfig"), config);
    const disabled = await run("plugin", "disable", "env-credentials", "--scope", "team-b/**");
    expect(disabled.exitCode, disabled.stderr).toBe(0);

    const inA = await run(
      "plugin",
      "action",
      "env-credentials",
      "list-consumers",
      "--scope",
      "team-a/store",
      "-o",
      "json",
    );
    expect(inA.exitCode, inA.stderr).toBe(0);
    const answer = runOf(inA.stdout);
    expect(answer.scope).toEqual({ name: "team-a/**", config: { prefix: "TEAM_A" } });
    expect(answer.result).toMatchObject({ prefix: "TEAM_A", scope: "team-a/**" });

    const inB = await run("plugin", "action", "env-credentials", "list-consumers", "--scope", "team-b/store");
    expect(inB.exitCode).toBe(1);
    expect(inB.stderr).toContain("Code: OCM_ACTION_NOT_ENABLED");
    expect(inB.stderr).toContain("plugin env-credentials is disabled for scope team-b/**");
    expect(inB.stderr).not.toContain("reading variables");

    const elsewhere = await run(
      "plugin",
      "action",
      "env-credentials",
      "list-consumers",
      "--scope",
      "team-c/x",
    );
    expect(elsewhere.exitCode).toBe(1);
    expect(elsewhere.stderr).toContain("plugin env-credentials is not enabled for team-c/x");
    expect(elsewhere.stderr).toContain("Its enabled scopes: team-a/**");

    const unnamed = await run("plugin", "action", "env-credentials", "list-consumers");
    expect(unnamed.exitCode).toBe(1);
    expect(unnamed.stderr).toContain("has scopes in the ocm config, and no scope or repository was named");
  });
});

describe("ocm plugin action with a Python test plugin (#17)", () => {
  /** `ocm` with test/fixtures/plugins/actions/action_probe.py in a plugin directory. */
  async function withProbe() {
    const ocm = await ocmCli();
    const dir = join(ocm.home, "plugins");
    await mkdir(dir);
    await copyFile(
      join(REPO_ROOT, "test/fixtures/plugins/actions/action_probe.py"),
      join(dir, "action-probe.py"),
    );
    const run = (...args: string[]) => ocm("--plugin-dir", dir, ...args);
    return { run, home: ocm.home };
  }

  it("gives a plugin no credentials for a repository type it does not serve, even one it declares", async () => {
    const { run, home } = await withProbe();
    await dockerLogin(home, "registry.example.com", REGISTRY_PASSWORD);
    // The built-in OCI plugin serves OCIRegistry/v1; the probe declares it too, and is shadowed there.
    const shadowed = await run(
      "plugin",
      "action",
      "action-probe",
      "inspect-oci",
      "--repository",
      "registry.example.com/acme",
      "-o",
      "json",
    );
    expect(shadowed.exitCode, shadowed.stderr).toBe(0);
    expect(runOf(shadowed.stdout).result).toMatchObject({
      repository: { type: "OCIRegistry/v1", baseUrl: "https://registry.example.com", subPath: "acme" },
      credentials: false,
    });
    const foreign = await run(
      "plugin",
      "action",
      "action-probe",
      "inspect",
      "--repository",
      "oci::registry.example.com/acme",
      "-o",
      "json",
    );
    expect(foreign.exitCode, foreign.stderr).toBe(0);
    expect(runOf(foreign.stdout).result).toMatchObject({ credentials: false, scope: { name: "*" } });
  });

  it("reports an error line with the plugin's code and hint, after its progress", async () => {
    const { run } = await withProbe();
    const failed = await run("plugin", "action", "action-probe", "fail");
    expect(failed.exitCode).toBe(1);
    expect(failed.stdout).toBe("");
    expect(failed.stderr).toContain(
      "about to fail\nError: action fail of plugin action-probe failed: the probe broke",
    );
    expect(failed.stderr).toContain("Code: OCM_PROBE_BROKE");
    expect(failed.stderr).toContain("Try: mend the probe");
  });

  it("fails an answer with a line that is not JSON, or without a result line, as OCM_ACTION_BAD_ANSWER", async () => {
    const { run } = await withProbe();
    const garbled = await run("plugin", "action", "action-probe", "garble");
    expect(garbled.exitCode).toBe(1);
    expect(garbled.stderr).toContain("Code: OCM_ACTION_BAD_ANSWER");
    expect(garbled.stderr).toContain(
      'action garble of plugin action-probe answered a line that is not JSON: "this is not JSON"',
    );
    const cut = await run("plugin", "action", "action-probe", "hang-up");
    expect(cut.exitCode).toBe(1);
    expect(cut.stderr).toContain("about to hang up");
    expect(cut.stderr).toContain(
      "action hang-up of plugin action-probe answered no result or error line before the answer ended",
    );
  });
});
