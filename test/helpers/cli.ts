// The `ocm` CLI as a user runs it in tests: the bundled executable, a fresh home, no plugin directories
// from the environment, never rejecting so tests can assert on exit code and stderr.
import { join } from "node:path";
import { execa } from "execa";
import { bundleExecutable } from "./executables.js";
import { useTempDir } from "./temp-dir.js";

/** The environment of a test run of `ocm` with `home` as its home. */
export const cliEnv = (home: string) => ({
  HOME: home,
  XDG_CACHE_HOME: join(home, "cache"),
  OCM_PLUGIN_DIR: "",
});

/** A function running `ocm <args>` in a fresh temp home; also carries the executable's `path` and `home`. */
export async function ocmCli() {
  const home = await useTempDir();
  const path = await bundleExecutable("cmd/ocm.ts", "ocm");
  const run = (...args: string[]) => execa(path, args, { reject: false, cwd: home, env: cliEnv(home) });
  return Object.assign(run, { path, home });
}
