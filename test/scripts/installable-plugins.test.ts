// The technology plugins of #14 (wget, npm, helm, comparch) as users get them (#14 item 5): built with the
// library functions of `npm run build:plugins`, published into a CTF with `ocm add cv`, installed with
// `ocm plugin install` (from the CTF, and each from a real registry after `ocm transfer`), then used end to end
// through the installed executables only: nothing of theirs is built into `ocm`.
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { buildPluginExecutable, executableName, pluginConstructor } from "../../scripts/build-plugins.js";
import { cliEnv } from "../helpers/cli.js";
import { REPO_ROOT, bundleExecutable } from "../helpers/executables.js";
import { useHttpServer } from "../helpers/http-server.js";
import { startRegistry } from "../helpers/registry.js";
import { startVerdaccio } from "../helpers/verdaccio.js";

const PLUGINS = ["comparch", "helm", "npm", "wget"] as const;
const VERSION = "0.1.0";
const LEGACY = join(REPO_ROOT, "test/fixtures/ocm/comparch-legacy");

let work = "";
let ocmPath = "";
let ctf = "";

/** `ocm --plugin-dir <pluginDir> <args>` with `work` as home, never rejecting. */
const ocmIn =
  (pluginDir: string) =>
  (...args: string[]) =>
    execa(ocmPath, ["--plugin-dir", pluginDir, ...args], {
      reject: false,
      cwd: work,
      env: { ...cliEnv(work), COLUMNS: "" },
    });

/** Runs `ocm` and expects it to succeed silently on stderr; returns stdout. */
async function ok(run: ReturnType<typeof ocmIn>, ...args: string[]): Promise<string> {
  const result = await run(...args);
  expect(result.stderr, `ocm ${args.join(" ")}`).toBe("");
  expect(result.exitCode, `ocm ${args.join(" ")}`).toBe(0);
  return result.stdout;
}

/** A constructor of one component version `acme.org/<name>:1.0.0` with `resources`. */
async function writeConstructor(name: string, resources: unknown[]): Promise<string> {
  const file = join(work, `${name}-constructor.yaml`);
  await writeFile(
    file,
    stringify({
      components: [{ name: `acme.org/${name}`, version: "1.0.0", provider: { name: "acme.org" }, resources }],
    }),
  );
  return file;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "ocm-installable-"));
  const built = join(work, "built");
  const [cli] = await Promise.all([
    bundleExecutable("cmd/ocm.ts", "ocm"),
    ...PLUGINS.map((name) =>
      buildPluginExecutable({ entry: join(REPO_ROOT, "plugins", name, "main.ts"), name, outDir: built }),
    ),
  ]);
  ocmPath = cli;
  await writeFile(join(built, "component-constructor.yaml"), await pluginConstructor(built, VERSION));
  ctf = join(work, "plugins.ctf");
  const publish = ocmIn(join(work, "none"));
  await ok(
    publish,
    "add",
    "cv",
    "--create",
    "--repository",
    ctf,
    "--constructor",
    join(built, "component-constructor.yaml"),
  );
}, 240_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("technology plugins installed, not built in (#14)", () => {
  it("publishes wget, npm, helm and comparch as ocm.software/plugins/<name> and installs each from the CTF; plugin list shows its provenance and plugin verify passes (#14)", async () => {
    const pluginDir = join(work, "from-ctf");
    const ocm = ocmIn(pluginDir);
    for (const name of PLUGINS) {
      expect(await ok(ocm, "plugin", "install", `${ctf}//ocm.software/plugins/${name}:${VERSION}`)).toContain(
        `installed ${name} ${VERSION} from ocm.software/plugins/${name}:${VERSION}`,
      );
    }
    const listed = JSON.parse(await ok(ocm, "plugin", "list", "-o", "json")) as {
      plugins: { id: string; source: string; state: string; provenance?: { component: string } }[];
    };
    for (const name of PLUGINS) {
      expect(listed.plugins.find((p) => p.id === name)).toMatchObject({
        source: "external",
        state: "ok",
        provenance: { component: `ocm.software/plugins/${name}` },
      });
    }
    const verified = await Promise.all(PLUGINS.map((name) => ocm("plugin", "verify", join(pluginDir, name))));
    for (const [index, result] of verified.entries())
      expect(result.exitCode, `plugin verify ${PLUGINS[index]}: ${result.stderr}`).toBe(0);
  }, 120_000);

  it("installs each plugin from a real registry after ocm transfer of its component version, byte for byte, and each passes plugin verify (#14)", async () => {
    const registry = await startRegistry();
    try {
      const ocm = ocmIn(join(work, "from-registry"));
      await ok(ocm, "transfer", ctf, `${registry.url}/plugins`);
      for (const name of PLUGINS) {
        expect(
          await ok(
            ocm,
            "plugin",
            "install",
            `${registry.url}/plugins//ocm.software/plugins/${name}:${VERSION}`,
          ),
        ).toContain(`installed ${name} ${VERSION} from ocm.software/plugins/${name}:${VERSION}`);
        const installed = await readFile(join(work, "from-registry", name));
        expect(installed.equals(await readFile(join(work, "built", executableName(name))))).toBe(true);
      }
      const verified = await ocm("plugin", "verify", join(work, "from-registry", "wget"));
      expect(verified.exitCode, verified.stderr).toBe(0);
    } finally {
      await registry.stop();
    }
  }, 120_000);

  it("runs each technology end to end through the installed executables: wget and npm download, a helm input added, a Go component archive read (#14)", async () => {
    const pluginDir = join(work, "e2e");
    const ocm = ocmIn(pluginDir);
    for (const name of PLUGINS)
      await ok(ocm, "plugin", "install", `${ctf}//ocm.software/plugins/${name}:${VERSION}`);

    // comparch: the Go tool's legacy archive.
    expect(await ok(ocm, "get", "cv", `ca::${join(LEGACY, "common")}//example.com/root:1.0.0`)).toMatch(
      /example\.com\/root\s+1\.0\.0/,
    );

    // wget: a file on a local HTTP server.
    const data = randomBytes(50_000);
    const server = await useHttpServer((_req, res) => {
      res.writeHead(200, { "content-length": data.length }).end(data);
    });
    const wgetCtf = join(work, "wget.ctf");
    await ok(
      ocm,
      "add",
      "cv",
      "--create",
      "--repository",
      wgetCtf,
      "--constructor",
      await writeConstructor("downloads", [
        { name: "data", type: "blob", access: { type: "wget", url: `${server.url}/data.bin` } },
      ]),
    );
    await ok(
      ocm,
      "download",
      "resource",
      `${wgetCtf}//acme.org/downloads:1.0.0`,
      "data",
      "-O",
      join(work, "data.out"),
    );
    expect((await readFile(join(work, "data.out"))).equals(data)).toBe(true);

    // helm: a small chart directory as input.
    const chart = join(work, "chart", "mychart");
    await mkdir(join(chart, "templates"), { recursive: true });
    await writeFile(join(chart, "Chart.yaml"), "apiVersion: v2\nname: mychart\nversion: 1.2.3\n");
    await writeFile(join(chart, "templates", "cm.yaml"), "kind: ConfigMap\n");
    const helmCtf = join(work, "helm.ctf");
    await ok(
      ocm,
      "add",
      "cv",
      "--create",
      "--repository",
      helmCtf,
      "--constructor",
      await writeConstructor("charts", [
        { name: "chart", type: "helmChart", input: { type: "helm", path: chart } },
      ]),
    );
    await ok(
      ocm,
      "download",
      "resource",
      `${helmCtf}//acme.org/charts:1.0.0`,
      "chart",
      "-O",
      join(work, "chart.tgz"),
    );
    const { stdout: listing } = await execa("tar", ["-tzf", join(work, "chart.tgz")]);
    expect(listing.split("\n")[0]).toBe("mychart/Chart.yaml");

    // npm: a package published to Verdaccio.
    const npmDir = join(work, "verdaccio");
    await mkdir(join(npmDir, "pkg"), { recursive: true });
    const registry = await startVerdaccio(npmDir);
    try {
      await writeFile(
        join(npmDir, "pkg", "package.json"),
        JSON.stringify({ name: "tiny-lib", version: "1.0.0" }),
      );
      await writeFile(join(npmDir, "pkg", "index.js"), "module.exports = 42;\n");
      await registry.publish(join(npmDir, "pkg"));
      const npmCtf = join(work, "npm.ctf");
      await ok(
        ocm,
        "add",
        "cv",
        "--create",
        "--repository",
        npmCtf,
        "--constructor",
        await writeConstructor("packages", [
          {
            name: "lib",
            type: "npmPackage",
            access: { type: "npm", registry: registry.url, package: "tiny-lib", version: "1.0.0" },
          },
        ]),
      );
      await ok(
        ocm,
        "download",
        "resource",
        `${npmCtf}//acme.org/packages:1.0.0`,
        "lib",
        "-O",
        join(work, "lib.tgz"),
      );
      const { stdout: pkg } = await execa("tar", ["-xzOf", join(work, "lib.tgz"), "package/index.js"]);
      expect(pkg).toBe("module.exports = 42;");
    } finally {
      await registry.stop();
    }
  }, 150_000);
});
