// Installs the echo test plugin (bundled from TypeScript through the SDK) into a fresh plugin directory.
import { chmod, copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { bundleExecutable } from "./executables.js";
import { useTempDir } from "./temp-dir.js";

/** A temp home with `plugins/echo.mjs`; returns the home, the plugin dir and the plugin's path. */
export async function installEcho(): Promise<{ home: string; dir: string; path: string }> {
  const home = await useTempDir();
  const dir = join(home, "plugins");
  await mkdir(dir, { recursive: true });
  const path = join(dir, "echo.mjs");
  await copyFile(await bundleExecutable("test/fixtures/plugins/echo/main.ts", "echo-sdk"), path);
  await chmod(path, 0o755);
  return { home, dir, path };
}
