// Bundles a TypeScript entry and everything it imports into executable ESM: how the `ocm` command ships
// (`npm run build`), and how the tests and benches build plugins and the CLI. A bundle starts in about half
// the time of a module tree (no module resolution, no file read per module).
import { execFile } from "node:child_process";
import { readFile, chmod, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { promisify } from "node:util";
import { build, type BuildOptions, type Plugin } from "esbuild";

export interface BundleOptions {
  /**
   * Answer `capabilities` with the document the plugin printed when it was built, without evaluating the
   * plugin: discovery runs `capabilities` of every plugin it has not seen (ADR 0005, "Cold discovery").
   */
  capabilitiesAtBuild?: boolean;
  /** `inline` for readable stack traces in tests; it triples the file and slows every start. */
  sourcemap?: "inline";
  /**
   * Modules to bundle in place of others (absolute path → absolute path), e.g. another list of built-in
   * plugins; the replacement itself still imports the original.
   */
  replace?: Record<string, string>;
}

const run = promisify(execFile);

/** Bundles `to` wherever `from` is imported, except from `to` itself. */
function replaceModules(replace: Record<string, string>): Plugin {
  return {
    name: "replace-modules",
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === "replace-modules" || !args.path.startsWith(".")) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: "replace-modules",
        });
        const to = replace[resolved.path];
        return to && args.importer !== to ? { path: to } : undefined;
      });
    },
  };
}

/**
 * zod's namespace (`z`) re-exports every one of its 50-odd message locales, which esbuild cannot leave out
 * because `z` is used as an object: a third of zod's code, compiled at every start for messages in English.
 * The bundle gets the English locale only, which zod configures at import anyway.
 */
const englishZodMessagesOnly: Plugin = {
  name: "english-zod-messages-only",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir)
        ? { path: join(args.resolveDir, "../locales/en.js"), namespace: "zod-locales" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

/**
 * With code splitting, esbuild gives a CommonJS package imported by `import()` (undici, loaded on the first
 * request; ajv, loaded when there is a schema to check) a chunk that exports `default` only, so
 * `const { Agent } = await import("undici")` would find nothing. The dynamic import gets a small ES module in
 * front that names every export the package has.
 */
const namedExportsOfLazyCommonJs = (packages: string[]): Plugin => ({
  name: "named-exports-of-lazy-commonjs",
  setup(build) {
    const names = packages.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    build.onResolve({ filter: new RegExp(`^(${names.join("|")})$`) }, (args) =>
      args.kind === "dynamic-import"
        ? { path: args.path, namespace: "lazy-commonjs", pluginData: args.resolveDir }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "lazy-commonjs" }, (args) => {
      const resolveDir = args.pluginData as string;
      const loaded = createRequire(join(resolveDir, "index.js"))(args.path) as object;
      const names = Object.keys(loaded).filter(
        (name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== "default",
      );
      const contents = [
        `import cjs from ${JSON.stringify(args.path)};`,
        `export const { ${names.join(", ")} } = cjs;`,
        "export default cjs;",
      ].join("\n");
      return { contents, resolveDir, loader: "js" };
    });
  },
});

/** What every bundle shares: Node, ESM, and a `require` for the CommonJS dependencies it contains. */
async function commonOptions(entry: string): Promise<BuildOptions> {
  return {
    bundle: true,
    plugins: [englishZodMessagesOnly],
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "error",
    banner: {
      js: [
        // esbuild keeps an entry's own `#!` line first; add one only when the entry has none.
        ...((await readFile(entry, "utf8")).startsWith("#!") ? [] : ["#!/usr/bin/env node"]),
        // Bundled CommonJS dependencies call require().
        'import { createRequire as __ocmCreateRequire } from "node:module";',
        "const require = __ocmCreateRequire(import.meta.url);",
      ].join("\n"),
    },
  };
}

/** Bundles `entry` into the one executable file `outfile` and returns `outfile`. */
export async function bundleNodeExecutable(
  entry: string,
  outfile: string,
  options: BundleOptions = {},
): Promise<string> {
  const common = await commonOptions(entry);
  const bundle = (printed?: string) =>
    build({
      ...common,
      ...(options.replace ? { plugins: [...(common.plugins ?? []), replaceModules(options.replace)] } : {}),
      ...(printed === undefined
        ? {}
        : { banner: { js: `${common.banner?.["js"] ?? ""}\n${capabilitiesFirst(printed, "esm")}` } }),
      entryPoints: [entry],
      outfile,
      ...(options.sourcemap ? { sourcemap: options.sourcemap } : {}),
    });
  await bundle();
  if (options.capabilitiesAtBuild) await bundle(await capabilitiesOf(outfile));
  await chmod(outfile, 0o755);
  return outfile;
}

/** What the plugin bundle `bundle` prints for `capabilities`, run by this node from an empty environment. */
export async function capabilitiesOf(bundle: string): Promise<string> {
  const { stdout } = await run(process.execPath, [bundle, "capabilities"], {
    cwd: dirname(bundle),
    env: {},
    maxBuffer: 16 * 1024 * 1024,
  });
  const parsed: unknown = JSON.parse(stdout);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${bundle} capabilities printed no JSON object: ${stdout.slice(0, 200)}`);
  }
  return stdout;
}

/**
 * The first statement of a plugin bundle: `capabilities` alone prints `printed` (what the plugin printed when
 * it was built, byte for byte) and exits before any of the plugin's code runs; every other command runs the
 * bundle as it is. An ES module stops at a top-level await that never resolves, a CommonJS script (a single
 * executable's main, run inside Node's module function) at a top-level return. The bundle is otherwise the
 * same, so a single executable's code cache still holds all of its top-level code.
 */
export function capabilitiesFirst(printed: string, format: "esm" | "cjs"): string {
  const print = `process.stdout.write(${JSON.stringify(printed)}, () => process.exit(0))`;
  const stop = format === "esm" ? `await new Promise(() => ${print});` : `return void ${print};`;
  return `if (process.argv.length === 3 && process.argv[2] === "capabilities") ${stop}`;
}

/**
 * Bundles `cmd/ocm.ts` of the repository at `root` into the executable `outfile` (`…/ocm.mjs`) and the
 * chunks it loads on demand, in `…/ocm-chunks/`: each command, and what only it uses, is a chunk of its
 * own, so a command compiles only the code it runs (ADR 0005). Whitespace and comments are left out,
 * which a start would otherwise read and scan; names stay, so stack traces still say where.
 */
export async function bundleCli(root: string, outfile: string): Promise<string> {
  const entry = join(root, "cmd/ocm.ts");
  const name = basename(outfile).replace(/\.mjs$/, "");
  const chunks = `${name}-chunks`;
  await rm(join(dirname(outfile), chunks), { recursive: true, force: true });
  await build({
    ...(await commonOptions(entry)),
    entryPoints: { [name]: entry },
    outdir: dirname(outfile),
    outExtension: { ".js": ".mjs" },
    splitting: true,
    plugins: [
      englishZodMessagesOnly,
      namedExportsOfLazyCommonJs(["undici", "ajv", "ajv/dist/2019.js", "ajv/dist/2020.js"]),
    ],
    chunkNames: `${chunks}/[name]-[hash]`,
    minifyWhitespace: true,
    minifySyntax: true,
  });
  await chmod(outfile, 0o755);
  return outfile;
}
