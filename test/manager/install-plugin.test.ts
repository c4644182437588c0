// `ocm plugin install` as a library: selection by os/architecture, digest check, archive formats and their
// safety, the capabilities check before going live, atomic replacement, provenance and enable/disable
// (issue 5). Component versions are built into a real CTF with the built-in CTF plugin.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile, readdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { create as createTar } from "tar";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { createPluginManager } from "../../index.js";
import { installPlugin, type InstallPluginOptions } from "../../manager/operations/install/install-plugin.js";
import { setPluginEnabled, uninstallPlugin } from "../../manager/operations/install/manage-installed.js";
import { checkArchiveEntry } from "../../manager/operations/install/unpack-plugin.js";
import { addComponentVersions } from "../../manager/operations/add-component-versions.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { useTempDir } from "../helpers/temp-dir.js";

const PYTHON_PLUGIN = join(REPO_ROOT, "plugins/examples/env-credentials.py");
const COMPONENT = "acme.org/plugins/env";

interface PluginResource {
  file: string;
  os?: string;
  architecture?: string;
  name?: string;
}

async function setup() {
  const home = await useTempDir();
  const pluginDir = join(home, "plugins");
  const manager = createPluginManager({
    cacheFile: false,
    env: {},
    home,
    handleSignals: false,
    logLevel: "silent",
  });
  const repository = { type: "CommonTransportFormat/v1", filePath: join(home, "ctf") };
  let created = false;

  /** Adds a component version whose ocmPlugin resources are the given files (relative to home). */
  async function publish(version: string, resources: PluginResource[]) {
    const constructor = join(home, `constructor-${version}.yaml`);
    const component = {
      name: COMPONENT,
      version,
      provider: { name: "acme.org" },
      resources: resources.map((r) => ({
        name: r.name ?? "env",
        type: "ocmPlugin",
        version,
        extraIdentity: { os: r.os ?? "linux", architecture: r.architecture ?? "amd64" },
        input: { type: "file", path: r.file },
      })),
    };
    await writeFile(constructor, stringify({ components: [component] }));
    await addComponentVersions(manager, {
      repository: { ...repository, ...(created ? {} : { accessMode: "create" }) },
      constructorPath: constructor,
    });
    created = true;
  }

  const install = (version: string, extra: Partial<InstallPluginOptions> = {}) =>
    installPlugin(manager, {
      repository,
      component: COMPONENT,
      version,
      pluginDir,
      os: "linux",
      architecture: "amd64",
      ...extra,
    });

  const lister = async () => {
    const fresh = createPluginManager({
      pluginDirs: [pluginDir],
      cacheFile: false,
      env: {},
      home,
      handleSignals: false,
      logLevel: "silent",
    });
    return fresh;
  };
  return { home, pluginDir, manager, publish, install, lister };
}

async function withPythonCopy(home: string, name = "env-credentials.py"): Promise<string> {
  await copyFile(PYTHON_PLUGIN, join(home, name));
  return name;
}

describe("installPlugin", () => {
  it("installs the resource for the requested os/architecture with provenance, and a reinstall of the same digest is a no-op", async () => {
    const { home, pluginDir, manager, publish, install, lister } = await setup();
    const file = await withPythonCopy(home);
    await writeFile(join(home, "other.txt"), "not for this platform");
    await publish("1.0.0", [{ file }, { file: "other.txt", os: "darwin", architecture: "arm64" }]);
    try {
      const result = await install("1.0.0");
      const digest = `sha256:${createHash("sha256")
        .update(await readFile(PYTHON_PLUGIN))
        .digest("hex")}`;
      expect(result).toMatchObject({
        id: "env",
        status: "installed",
        path: join(pluginDir, "env"),
        provenance: {
          component: COMPONENT,
          version: "1.0.0",
          resource: { name: "env", os: "linux", architecture: "amd64" },
          digest,
          repository: { type: "CommonTransportFormat/v1" },
        },
      });
      expect(await readFile(join(pluginDir, "env"))).toEqual(await readFile(PYTHON_PLUGIN));
      expect((await install("1.0.0")).status).toBe("unchanged");
      expect((await install("1.0.0", { force: true })).status).toBe("updated");

      const fresh = await lister();
      const entry = await fresh.info("env");
      expect(entry).toMatchObject({
        state: "ok",
        provenance: { component: COMPONENT, version: "1.0.0", digest },
      });
      await fresh.close();
      expect((await readdir(pluginDir)).sort()).toEqual([".env.ocm-plugin.json", "env"]);
    } finally {
      await manager.close();
    }
  });

  it("lists the candidates when no resource matches this platform, and when several do", async () => {
    const { home, manager, publish, install } = await setup();
    const file = await withPythonCopy(home);
    await publish("1.0.0", [
      { file, os: "darwin", architecture: "arm64" },
      { file, os: "windows" },
    ]);
    await publish("2.0.0", [
      { file, name: "env-a" },
      { file, name: "env-b" },
    ]);
    try {
      const missing = await install("1.0.0").catch((e: unknown) => e);
      expect(missing).toMatchObject({ code: "OCM_INSTALL_NO_RESOURCE" });
      expect((missing as Error).message).toContain(
        "no ocmPlugin resource matching os=linux,architecture=amd64",
      );
      expect((missing as { hint: string }).hint).toContain(
        "name=env,architecture=arm64,os=darwin; name=env,architecture=amd64,os=windows",
      );
      const ambiguous = await install("2.0.0").catch((e: unknown) => e);
      expect(ambiguous).toMatchObject({ code: "OCM_INSTALL_AMBIGUOUS" });
      expect((ambiguous as { hint: string }).hint).toContain("--resource");
      expect((await install("2.0.0", { resource: "env-b" })).id).toBe("env-b");
      expect((await install("2.0.0", { extraIdentity: { name: "env-a" } })).id).toBe("env-a");
    } finally {
      await manager.close();
    }
  });

  it("accepts gzip, tar and tgz and installs the executable inside", async () => {
    const { home, pluginDir, manager, publish, install } = await setup();
    const script = await readFile(PYTHON_PLUGIN);
    await writeFile(join(home, "plugin.gz"), gzipSync(script));
    await mkdir(join(home, "tree/bin"), { recursive: true });
    await writeFile(join(home, "tree/README.md"), "docs");
    await writeFile(join(home, "tree/bin/env"), script, { mode: 0o755 });
    await createTar({ file: join(home, "plugin.tar"), cwd: join(home, "tree") }, ["README.md", "bin"]);
    await createTar({ file: join(home, "plugin.tgz"), cwd: join(home, "tree"), gzip: true }, [
      "README.md",
      "bin",
    ]);
    await publish("1.0.0", [{ file: "plugin.gz" }]);
    await publish("2.0.0", [{ file: "plugin.tar" }]);
    await publish("3.0.0", [{ file: "plugin.tgz" }]);
    try {
      for (const version of ["1.0.0", "2.0.0", "3.0.0"]) {
        const result = await install(version);
        expect(result.status, version).not.toBe("unchanged");
        expect(await readFile(join(pluginDir, "env")), version).toEqual(script);
        expect(result.document?.name).toBe("env-credentials");
      }
    } finally {
      await manager.close();
    }
  });

  it("refuses an archive with a symlink leading out of it, installing nothing", async () => {
    const { home, pluginDir, manager, publish, install } = await setup();
    await mkdir(join(home, "tree"));
    await copyFile(PYTHON_PLUGIN, join(home, "tree/env"));
    await symlink("../../../etc/passwd", join(home, "tree/escape"));
    await createTar({ file: join(home, "evil.tar"), cwd: join(home, "tree") }, ["env", "escape"]);
    await publish("1.0.0", [{ file: "evil.tar" }]);
    try {
      const error = await install("1.0.0").catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "OCM_INSTALL_UNSAFE_ARCHIVE" });
      expect((error as Error).message).toContain('"escape" links outside the archive to ../../../etc/passwd');
      expect(await readdir(pluginDir)).toEqual([]);
    } finally {
      await manager.close();
    }
  });

  it("rejects archive entries with .., absolute paths, devices and every link (#10)", () => {
    expect(() => checkArchiveEntry({ path: "../x", type: "File", linkpath: "" })).toThrow(/contains \.\./);
    expect(() => checkArchiveEntry({ path: "/usr/bin/x", type: "File", linkpath: "" })).toThrow(
      /absolute path/,
    );
    expect(() => checkArchiveEntry({ path: "dev", type: "CharacterDevice", linkpath: "" })).toThrow(
      /is a CharacterDevice/,
    );
    expect(() => checkArchiveEntry({ path: "bin/x", type: "Link", linkpath: "/etc/shadow" })).toThrow(
      /\/etc\/shadow/,
    );
    // A link that stays inside is refused too: links chained one after another can still reach out.
    expect(() => checkArchiveEntry({ path: "bin/x", type: "SymbolicLink", linkpath: "../lib/x" })).toThrow(
      /is a symbolic link to \.\.\/lib\/x/,
    );
  });

  it("keeps the installed version when the new one fails capabilities or its digest, leaving nothing half-installed", async () => {
    const { home, pluginDir, manager, publish, install, lister } = await setup();
    const file = await withPythonCopy(home);
    await writeFile(join(home, "broken.sh"), "#!/bin/sh\necho 'not json'\n", { mode: 0o755 });
    await publish("1.0.0", [{ file }]);
    await publish("2.0.0", [{ file: "broken.sh" }]);
    try {
      await install("1.0.0");
      const invalid = await install("2.0.0").catch((e: unknown) => e);
      expect(invalid).toMatchObject({ code: "OCM_INSTALL_INVALID_PLUGIN" });
      expect((invalid as Error).message).toContain("not JSON");
      expect((invalid as { hint: string }).hint).toContain("The installed version was left in place.");
      expect(await readFile(join(pluginDir, "env"))).toEqual(await readFile(PYTHON_PLUGIN));
      expect((await readdir(pluginDir)).sort()).toEqual([".env.ocm-plugin.json", "env"]);

      // Alter the stored blob of a third version behind the descriptor's back.
      await writeFile(join(home, "v3.py"), (await readFile(PYTHON_PLUGIN, "utf8")).replace("1.0.0", "3.0.0"));
      await publish("3.0.0", [{ file: "v3.py" }]);
      const digest = createHash("sha256")
        .update(await readFile(join(home, "v3.py")))
        .digest("hex");
      await writeFile(join(home, "ctf", "blobs", `sha256.${digest}`), "tampered");
      const mismatch = await install("3.0.0").catch((e: unknown) => e);
      // The CTF notices the altered blob first; repositories that do not check get OCM_INSTALL_DIGEST_MISMATCH.
      expect(mismatch).toMatchObject({ code: "OCM_REPOSITORY_DIGEST_MISMATCH" });
      expect(await readFile(join(pluginDir, "env"))).toEqual(await readFile(PYTHON_PLUGIN));

      const fresh = await lister();
      expect((await fresh.info("env")).provenance?.version).toBe("1.0.0");
      await fresh.close();
    } finally {
      await manager.close();
    }
  });

  it("keeps a disabled plugin listed but never chooses it, until it is enabled; uninstall removes it", async () => {
    const { home, pluginDir, manager, publish, install, lister } = await setup();
    await publish("1.0.0", [{ file: await withPythonCopy(home) }]);
    try {
      await install("1.0.0");
      await setPluginEnabled([pluginDir], "env", false);
      let fresh = await lister();
      expect((await fresh.info("env")).state).toBe("disabled");
      await expect(fresh.getPlugin("EnvCredentials/v1", "credentialRepository")).rejects.toMatchObject({
        code: "OCM_PLUGIN_NOT_FOUND",
      });
      await fresh.close();

      await setPluginEnabled([pluginDir], "env", true);
      fresh = await lister();
      const creds = await fresh.getPlugin("EnvCredentials/v1", "credentialRepository");
      expect(await creds.consumerIdentity({ config: { type: "EnvCredentials/v1" } })).toEqual({
        identity: null,
      });
      await fresh.close();

      expect(await uninstallPlugin([pluginDir], "env")).toBe(join(pluginDir, "env"));
      expect(existsSync(join(pluginDir, "env"))).toBe(false);
      expect(await readdir(pluginDir)).toEqual([]);
      await expect(uninstallPlugin([pluginDir], "env")).rejects.toMatchObject({
        code: "OCM_INSTALL_NOT_INSTALLED",
      });
    } finally {
      await manager.close();
    }
  });
});
