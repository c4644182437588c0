// Turns each plugin entry (`plugins/<name>/main.ts`) into one self-contained executable for this machine:
// an esbuild bundle injected into a copy of the running `node` as a single executable application
// (ADR 0002). Run with `npm run build:plugins [name...]`; the library functions are used by the tests.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { build, type Plugin as EsbuildPlugin } from "esbuild";
import { stringify } from "yaml";
import { goArch, goOs } from "../manager/operations/install/platform.js";
import { capabilitiesFirst, capabilitiesOf } from "./bundle-executable.js";

export { goArch, goOs };

const run = promisify(execFile);

/** Node's fuse sentinel for single executable applications (the same in every Node release with SEA). */
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";

/** `<name>-<os>-<arch>[.exe]`, the file name of a built plugin executable. */
export function executableName(name: string, platform = process.platform, arch = process.arch): string {
  return `${name}-${goOs(platform)}-${goArch(arch)}${platform === "win32" ? ".exe" : ""}`;
}

/**
 * Moves the statements after the imports of an entry module into an async function. Node 20 runs a
 * single executable's main script as CommonJS, where top-level `await` (as in `await plugin.run()`) is
 * a syntax error; the plugin's behaviour is the same either way because `run` resolves once it serves.
 */
export function wrapTopLevelAwait(source: string): string {
  if (!/^await\s/m.test(source)) return source;
  const imports = /^import\s[\s\S]*?["'][^"']+["'];?[ \t]*$/gm;
  let end = 0;
  for (let match = imports.exec(source); match; match = imports.exec(source))
    end = match.index + match[0].length;
  const head = source.slice(0, end);
  const body = source.slice(end);
  return `${head}\nvoid (async () => {${body}\n})().catch((error: unknown) => {\n  console.error(error);\n  process.exit(70);\n});\n`;
}

function entryTransform(entry: string): EsbuildPlugin {
  return {
    name: "ocm-entry",
    setup(builder) {
      builder.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (resolve(args.path) !== resolve(entry)) return undefined;
        const source = (await readFile(args.path, "utf8")).replace(/^#!.*\n/, "");
        return { contents: wrapTopLevelAwait(source), loader: "ts", resolveDir: dirname(args.path) };
      });
    },
  };
}

/**
 * Bundles `entry` and everything it imports into one CommonJS file, the form a SEA main must take; `first`
 * is a statement put before all of it (capabilitiesFirst).
 */
export async function bundlePlugin(entry: string, outfile: string, first?: string): Promise<void> {
  await build({
    entryPoints: [entry],
    ...(first === undefined ? {} : { banner: { js: first } }),
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "error",
    plugins: [entryTransform(entry)],
  });
}

export interface BuildExecutableOptions {
  /** The plugin's entry module, e.g. `plugins/ctf/main.ts`. */
  entry: string;
  /** The plugin name; the executable is `<name>-<os>-<arch>`. */
  name: string;
  /** Where the executable is written (created when missing). */
  outDir: string;
}

/** Builds one plugin executable for this machine and returns its path. */
export async function buildPluginExecutable(options: BuildExecutableOptions): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), `ocm-sea-${options.name}-`));
  try {
    const bundle = join(work, "main.cjs");
    const blob = join(work, "sea-prep.blob");
    const entry = resolve(options.entry);
    await bundlePlugin(entry, bundle);
    // `capabilities` is answered from what the plugin printed here, without evaluating it (ADR 0005).
    await bundlePlugin(entry, bundle, capabilitiesFirst(await capabilitiesOf(bundle), "cjs"));
    // The code cache holds V8's compiled form of the bundle, made by this very `node` binary, which the
    // executable embeds: each start skips compiling the script (a plugin starts on every first call).
    const seaConfig = { main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true };
    await writeFile(join(work, "sea-config.json"), JSON.stringify(seaConfig));
    await run(process.execPath, ["--experimental-sea-config", join(work, "sea-config.json")], { cwd: work });

    await mkdir(options.outDir, { recursive: true });
    const target = join(options.outDir, executableName(options.name));
    const staged = join(work, basename(target));
    await copyFile(process.execPath, staged);
    await chmod(staged, 0o755);
    if (process.platform === "darwin") await run("codesign", ["--remove-signature", staged]);
    const args = [postjectCli(), staged, "NODE_SEA_BLOB", blob, "--sentinel-fuse", SEA_FUSE];
    if (process.platform === "darwin") args.push("--macho-segment-name", "NODE_SEA");
    await run(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
    if (process.platform === "darwin") await run("codesign", ["--sign", "-", staged]);
    await rm(target, { force: true });
    await copyFile(staged, target);
    await chmod(target, 0o755);
    return target;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** postject's command-line entry, run with this `node` so no shell or PATH is involved. */
function postjectCli(): string {
  const path = join(REPO_ROOT, "node_modules", "postject", "dist", "cli.js");
  if (!existsSync(path)) throw new Error(`postject is not installed (${path}); run npm ci`);
  return path;
}

/** The repository root: the folder of the package.json above the working directory. */
const REPO_ROOT = findRoot(process.cwd());

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "plugins"))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/** Every `plugins/<name>/main.ts`, as `{name, entry}`, sorted by name. */
export async function findPluginEntries(
  root: string = REPO_ROOT,
): Promise<{ name: string; entry: string }[]> {
  const dir = join(root, "plugins");
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  return names
    .sort()
    .filter((name) => existsSync(join(dir, name, "main.ts")))
    .map((name) => ({ name, entry: join(dir, name, "main.ts") }));
}

const EXECUTABLE =
  /^(?<name>.+)-(?<os>linux|darwin|windows)-(?<arch>amd64|arm64|386|arm|ppc64le|s390x)(\.exe)?$/;

/**
 * A component constructor that packages every built executable in `outDir` as an `ocmPlugin` resource
 * with `os`/`architecture` extra identity, one component `ocm.software/plugins/<name>` per plugin, so
 * `ocm add cv --constructor <outDir>/component-constructor.yaml` publishes them. Executables are gzipped.
 */
export async function pluginConstructor(outDir: string, version: string): Promise<string> {
  const byPlugin = new Map<string, { file: string; os: string; arch: string }[]>();
  for (const file of (await readdir(outDir)).sort()) {
    const match = EXECUTABLE.exec(file)?.groups;
    if (!match) continue;
    const name = match["name"] as string;
    byPlugin.set(name, [
      ...(byPlugin.get(name) ?? []),
      { file, os: match["os"] as string, arch: match["arch"] as string },
    ]);
  }
  const components = [...byPlugin].map(([name, builds]) => ({
    name: `ocm.software/plugins/${name}`,
    version,
    provider: { name: "ocm.software" },
    resources: builds.map((b) => ({
      name,
      type: "ocmPlugin",
      version,
      extraIdentity: { os: b.os, architecture: b.arch },
      input: { type: "file", path: b.file, mediaType: "application/octet-stream", compress: true },
    })),
  }));
  return `# Generated by npm run build:plugins: every plugin executable in this directory as an ocmPlugin resource.\n${stringify({ components })}`;
}

async function main(selected: string[]): Promise<void> {
  const entries = (await findPluginEntries()).filter(
    (e) => selected.length === 0 || selected.includes(e.name),
  );
  if (entries.length === 0) {
    console.error(
      `no plugin entry found${selected.length ? ` for ${selected.join(", ")}` : ""} (plugins/<name>/main.ts)`,
    );
    process.exit(1);
  }
  const outDir = join(REPO_ROOT, "dist", "plugins");
  let failed = 0;
  for (const { name, entry } of entries) {
    try {
      console.log(`built ${await buildPluginExecutable({ entry, name, outDir })}`);
    } catch (error) {
      failed++;
      console.error(
        `failed to build ${name} (${entry}): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  if (failed) process.exitCode = 1;
  const manifest = JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
  const constructor = join(outDir, "component-constructor.yaml");
  await writeFile(constructor, await pluginConstructor(outDir, manifest.version));
  console.log(`wrote ${constructor}`);
}

if (basename(process.argv[1] ?? "") === "build-plugins.ts") await main(process.argv.slice(2));
