// The plugin manager the plugin-host benches drive: only the bench's plugin directory, no built-ins, quiet.
import { join } from "node:path";
import { createPluginManager } from "../../manager/index.js";

/** A manager over `dir` only, quiet, with its cache in `home`. */
export function managerFor(home: string, dir: string) {
  return createPluginManager({
    builtins: [],
    pluginDirs: [dir],
    cacheFile: join(home, "cache.json"),
    env: {},
    home,
    handleSignals: false,
    logLevel: "silent",
  });
}
