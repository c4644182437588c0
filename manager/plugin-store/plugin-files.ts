// Which files in a plugin directory are plugins, and under which id. Shared by discovery (the host) and
// install (an operation): the plugin directory is the one place both read and write.
import { extname } from "node:path";

/** Files that live beside plugins but are not plugins (documentation, install records). */
const NOT_PLUGINS = new Set([".md", ".txt", ".json", ".yaml", ".yml", ".sig", ".lock"]);

/** False for dot files and files that live beside plugins without being plugins (docs, records). */
export function isPluginFileName(name: string): boolean {
  return !name.startsWith(".") && !NOT_PLUGINS.has(extname(name).toLowerCase());
}

/** The plugin id of a file: its name without the last extension (`oci.exe` → `oci`). */
export function pluginIdOf(fileName: string): string {
  const ext = extname(fileName);
  return ext && ext !== fileName ? fileName.slice(0, -ext.length) : fileName;
}
