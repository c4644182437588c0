// `ocm plugin test` (#13 item 1): a plugin's TestConnection against a real CTF on disk, a real registry
// (open, behind htpasswd, stopped) and a Python plugin, each check printed with its reason; exit 1 when one
// fails.
import { execFile } from "node:child_process";
import { chmod, copyFile, cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it, onTestFinished } from "vitest";
import { ocmCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { installEcho } from "../helpers/install-echo.js";
import { REGISTRY_PASSWORD, REGISTRY_USER, startRegistry } from "../helpers/registry.js";

const CTF = join(REPO_ROOT, "test/fixtures/ocm/ctf-v0.20-localblob/transport-archive");
const FILE_REPOSITORY = join(REPO_ROOT, "test/fixtures/plugins/file-repository/file_repository.py");
const isRoot = process.getuid?.() === 0;

interface Report {
  plugin: string;
  ok: boolean;
  checks: { name: string; status: string; reason: string }[];
}

const reportOf = (stdout: string) => JSON.parse(stdout) as Report;
const check = (report: Report, name: string) => report.checks.find((c) => c.name === name);

/** `ocm` in a fresh home with a copy of the fixture CTF at `<home>/ctf`. */
async function withCtf() {
  const ocm = await ocmCli();
  const ctf = join(ocm.home, "ctf");
  await cp(CTF, ctf, { recursive: true });
  return { ocm, ctf };
}

/** Docker's config.json in the CLI's home, with `password` for the registry at `host`. */
async function dockerLogin(home: string, host: string, password: string) {
  await mkdir(join(home, ".docker"), { recursive: true });
  const auth = Buffer.from(`${REGISTRY_USER}:${password}`).toString("base64");
  await writeFile(join(home, ".docker", "config.json"), JSON.stringify({ auths: { [host]: { auth } } }));
}

describe("ocm plugin test on a CTF (#13)", () => {
  it("passes exists, writable and lock on a CTF directory and prints each with its reason", async () => {
    const { ocm, ctf } = await withCtf();
    const table = await ocm("plugin", "test", "ctf", "--repository", ctf);
    expect(table.stderr).toBe("");
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/exists\s+PASS\s+.*is a CTF directory/);
    expect(table.stdout).toMatch(new RegExp(`writable\\s+PASS\\s+files can be created in ${ctf}`));
    expect(table.stdout).toMatch(/lock\s+PASS\s+no writer holds the lock/);
    expect(table.stdout).toMatch(/\nPASS$/);

    // By type, too, and as JSON.
    const json = await ocm("plugin", "test", "CommonTransportFormat/v1", "--repository", ctf, "-o", "json");
    expect(json.exitCode).toBe(0);
    const report = reportOf(json.stdout);
    expect(report).toMatchObject({ plugin: "ctf", ok: true });
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ["plugin", "pass"],
      ["exists", "pass"],
      ["writable", "pass"],
      ["lock", "pass"],
    ]);
  });

  it("fails the writable check of a CTF opened readonly, naming the access mode, and exits 1", async () => {
    const { ocm, ctf } = await withCtf();
    const spec = JSON.stringify({ filePath: ctf, accessMode: "readonly" });
    const result = await ocm("plugin", "test", "ctf", "--repository", `ctf::${spec}`);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(`writable\\s+FAIL\\s+${ctf} is opened with accessMode readonly`),
    );
    expect(result.stdout).toMatch(/exists\s+PASS/);
    expect(result.stderr).toContain("Code: OCM_PLUGIN_TEST_FAILED");
    expect(result.stderr).toContain("plugin ctf failed 1 check: writable");
  });

  it("fails the writable check of a CTF directory the file system does not let it write, with the reason", async (context) => {
    const { ocm, ctf } = await withCtf();
    // chmod does not stop root: then the directory is made immutable (chattr +i), which stops root too.
    if (isRoot) {
      const immutable = await promisify(execFile)("chattr", ["+i", ctf]).then(
        () => true,
        () => false,
      );
      if (!immutable) {
        context.skip(
          "running as root on a file system without chattr +i: nothing here can stop root writing",
        );
      }
      onTestFinished(() => promisify(execFile)("chattr", ["-i", ctf]).then(() => undefined));
    } else {
      await chmod(ctf, 0o555);
      onTestFinished(() => chmod(ctf, 0o755));
    }
    const result = await ocm("plugin", "test", "ctf", "--repository", ctf, "-o", "json");
    expect(result.exitCode).toBe(1);
    const report = reportOf(result.stdout);
    expect(report.ok).toBe(false);
    expect(check(report, "exists")?.status).toBe("pass");
    expect(check(report, "writable")).toMatchObject({ status: "fail" });
    expect(check(report, "writable")?.reason).toMatch(
      new RegExp(`^cannot create files in ${ctf}: (EACCES|EPERM)`),
    );
  });

  it("fails the lock check while a running process holds the CTF's lock, naming the process", async () => {
    const { ocm, ctf } = await withCtf();
    const holder = process.pid;
    const stat = await readFile(`/proc/${holder}/stat`, "utf8");
    const start = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    await writeFile(join(ctf, ".ocm-ctf.lock"), `${holder} ${start}`);
    const held = await ocm("plugin", "test", "ctf", "--repository", ctf);
    expect(held.exitCode).toBe(1);
    expect(held.stdout).toMatch(
      new RegExp(`lock\\s+FAIL\\s+lock .*\\.ocm-ctf\\.lock is held by running process ${holder}`),
    );

    // A lock left by a process that is gone is no obstacle: the next write takes it over.
    await writeFile(join(ctf, ".ocm-ctf.lock"), "999999999 1");
    const stale = await ocm("plugin", "test", "ctf", "--repository", ctf);
    expect(stale.exitCode).toBe(0);
    expect(stale.stdout).toMatch(/lock\s+PASS\s+.*process 999999999, which no longer runs/);
  });

  it("passes a missing CTF that can be created, and fails one below a file", async () => {
    const ocm = await ocmCli();
    const creatable = await ocm("plugin", "test", "ctf", "--repository", join(ocm.home, "new", "ctf"));
    expect(creatable.exitCode).toBe(0);
    expect(creatable.stdout).toMatch(/exists\s+PASS\s+.*does not exist; a write with accessMode create/);

    await writeFile(join(ocm.home, "file"), "not a directory");
    const below = await ocm(
      "plugin",
      "test",
      "ctf",
      "--repository",
      join(ocm.home, "file", "ctf"),
      "-o",
      "json",
    );
    expect(below.exitCode).toBe(1);
    expect(check(reportOf(below.stdout), "exists")).toMatchObject({
      status: "fail",
      reason: expect.stringContaining(`${join(ocm.home, "file")} is not a directory`),
    });
  });
});

describe("ocm plugin test on an OCI registry (#13)", () => {
  it("passes reachable and credentials on an open registry, and push only with --write, which stores nothing", async () => {
    const registry = await startRegistry();
    onTestFinished(() => registry.stop());
    const ocm = await ocmCli();
    const plain = await ocm("plugin", "test", "oci", "--repository", `${registry.host}/acme`, "-o", "json");
    expect(plain.stderr).toBe("");
    expect(plain.exitCode).toBe(0);
    const report = reportOf(plain.stdout);
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ["plugin", "pass"],
      ["reachable", "pass"],
      ["credentials", "pass"],
      ["push", "skip"],
    ]);
    expect(check(report, "reachable")?.reason).toBe(`${registry.url}/v2/ answers`);
    expect(check(report, "credentials")?.reason).toBe("the registry accepts calls without credentials");
    expect(registry.requests().some((r) => r.startsWith("POST"))).toBe(false);

    const write = await ocm("plugin", "test", "oci", "--repository", `${registry.host}/acme`, "--write");
    expect(write.exitCode).toBe(0);
    expect(write.stdout).toMatch(
      new RegExp(
        `push\\s+PASS\\s+a blob upload to ${registry.host}/acme/component-descriptors/ocm.software/test-connection was started and cancelled`,
      ),
    );
    const requests = registry.requests();
    expect(requests).toContainEqual(
      "POST /v2/acme/component-descriptors/ocm.software/test-connection/blobs/uploads/",
    );
    expect(
      requests.some((r) =>
        r.startsWith("DELETE /v2/acme/component-descriptors/ocm.software/test-connection/blobs/uploads/"),
      ),
    ).toBe(true);
    expect(requests.some((r) => r.startsWith("PUT"))).toBe(false);
  });

  it("fails reachable on a stopped registry with the reason and skips the rest", async () => {
    const registry = await startRegistry();
    await registry.stop();
    const ocm = await ocmCli();
    const result = await ocm("plugin", "test", "oci", "--repository", registry.host, "--write", "-o", "json");
    expect(result.exitCode).toBe(1);
    const report = reportOf(result.stdout);
    expect(check(report, "reachable")).toMatchObject({
      status: "fail",
      reason: expect.stringContaining(registry.url),
    });
    expect(check(report, "credentials")?.status).toBe("skip");
    expect(check(report, "push")?.status).toBe("skip");
    expect(result.stderr).toContain("plugin oci failed 1 check: reachable");
  });

  it("fails credentials behind htpasswd with a wrong password or none, and passes with the right one", async () => {
    const registry = await startRegistry({ auth: "basic" });
    onTestFinished(() => registry.stop());
    const ocm = await ocmCli();
    const ref = `${registry.host}/acme`;

    const none = await ocm("plugin", "test", "oci", "--repository", ref, "-o", "json");
    expect(none.exitCode).toBe(1);
    expect(check(reportOf(none.stdout), "reachable")?.reason).toBe(
      `${registry.url}/v2/ answers and asks for credentials`,
    );
    expect(check(reportOf(none.stdout), "credentials")).toMatchObject({
      status: "fail",
      reason: expect.stringContaining(
        `the registry asks for credentials and none are configured for ${registry.host}`,
      ),
    });

    await dockerLogin(ocm.home, registry.host, "wrong-password");
    const wrong = await ocm("plugin", "test", "oci", "--repository", ref, "--write", "-o", "json");
    expect(wrong.exitCode).toBe(1);
    expect(check(reportOf(wrong.stdout), "credentials")).toMatchObject({
      status: "fail",
      reason: expect.stringContaining(`the registry refuses the credentials of user ${REGISTRY_USER}`),
    });
    expect(check(reportOf(wrong.stdout), "push")?.status).toBe("skip");
    expect(wrong.stdout + wrong.stderr).not.toContain("wrong-password");

    await dockerLogin(ocm.home, registry.host, REGISTRY_PASSWORD);
    const right = await ocm("plugin", "test", "oci", "--repository", ref, "--write");
    expect(right.exitCode).toBe(0);
    expect(right.stdout).toMatch(
      new RegExp(`credentials\\s+PASS\\s+the registry accepts the credentials of user ${REGISTRY_USER}`),
    );
    expect(right.stdout).toMatch(/push\s+PASS/);
    expect(right.stdout + right.stderr).not.toContain(REGISTRY_PASSWORD);
  });
});

describe("ocm plugin test on an external plugin (#13)", () => {
  it("shows an SDK plugin's connection status without a repository, and its ok/message answer as one check", async () => {
    const ocm = await ocmCli();
    const { dir } = await installEcho();
    const status = await ocm("--plugin-dir", dir, "plugin", "test", "echo");
    expect(status.stderr).toBe("");
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(/plugin\s+PASS\s+running as pid \d+; init ran with its configuration/);
    expect(status.stdout).toMatch(/status\s+PASS\s+connected/);

    const refused = await ocm(
      "--plugin-dir",
      dir,
      "plugin",
      "test",
      "echo",
      "--repository",
      'Echo/v1::{"reachable":false}',
    );
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toMatch(/connection\s+FAIL\s+spec\.reachable is not true/);
    const reached = await ocm(
      "--plugin-dir",
      dir,
      "plugin",
      "test",
      "echo",
      "--repository",
      'Echo/v1::{"reachable":true}',
    );
    expect(reached.exitCode).toBe(0);
    expect(reached.stdout).toMatch(/connection\s+PASS\s+the plugin says it can connect/);
  });

  it("runs a Python plugin's test-connection over its socket, by type with a bare path", async () => {
    const ocm = await ocmCli();
    const dir = join(ocm.home, "plugins");
    await mkdir(dir);
    await copyFile(FILE_REPOSITORY, join(dir, "file-repository"));
    await chmod(join(dir, "file-repository"), 0o755);
    await mkdir(join(ocm.home, "store"));

    const good = await ocm(
      "--plugin-dir",
      dir,
      "plugin",
      "test",
      "filerepo",
      "--repository",
      "./store",
      "-o",
      "json",
    );
    expect(good.stderr).toBe("");
    expect(good.exitCode).toBe(0);
    const report = reportOf(good.stdout);
    expect(report.plugin).toBe("file-repository");
    expect(check(report, "plugin")?.reason).toMatch(/^running as pid \d+/);
    expect(check(report, "writable")).toMatchObject({
      status: "pass",
      reason: `files can be created in ./store`,
    });

    const missing = await ocm(
      "--plugin-dir",
      dir,
      "plugin",
      "test",
      "file-repository",
      "--repository",
      "./nowhere",
    );
    expect(missing.exitCode).toBe(1);
    expect(missing.stdout).toMatch(/exists\s+FAIL\s+\.\/nowhere is not a directory/);
  });
});
