// Bundles a TypeScript entry point into a single executable `.mjs` file, as a plugin author would ship it.
// Each test process bundles into its own directory, so parallel runs never race on the output.
import { existsSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleNodeExecutable } from "../../scripts/bundle-executable.js";

/** The repository root: the nearest folder upwards holding the ocm-ts package.json (also from a bundle). */
export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "ocm-ts"
    ) {
      return dir;
    }
    if (dirname(dir) === dir) return process.cwd();
  }
}
/**
 * With OCM_BUILTINS=without-oci (the `without-oci` test project), everything bundled here registers the
 * built-in plugins without the OCI plugin: CTF must work with no technology but its own (issue #12).
 */
export const WITHOUT_OCI = process.env["OCM_BUILTINS"] === "without-oci";
const REPLACE = WITHOUT_OCI
  ? { [join(REPO_ROOT, "plugins/builtin.ts")]: join(REPO_ROOT, "test/helpers/builtin-without-oci.ts") }
  : undefined;
const OUT_DIR = join(tmpdir(), `ocm-ts-bin-${process.pid}${WITHOUT_OCI ? "-without-oci" : ""}`);
const built = new Map<string, Promise<string>>();

/** Bundles `entry` (a path relative to the repository root) and returns the executable's absolute path. */
export function bundleExecutable(
  entry: string,
  name = basename(entry).replace(/\.[cm]?[jt]s$/, ""),
): Promise<string> {
  const key = `${entry}→${name}`;
  let pending = built.get(key);
  if (!pending) {
    pending = bundle(resolve(REPO_ROOT, entry), join(OUT_DIR, `${name}.mjs`));
    built.set(key, pending);
  }
  return pending;
}

async function bundle(entry: string, outfile: string): Promise<string> {
  await mkdir(OUT_DIR, { recursive: true });
  return bundleNodeExecutable(entry, outfile, {
    sourcemap: "inline",
    ...(REPLACE ? { replace: REPLACE } : {}),
  });
}
