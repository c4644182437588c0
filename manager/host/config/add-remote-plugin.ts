// `ocm plugin add-remote`: writes `plugins.<id>.remote` into the plugin entry of the ocm config file (comments
// kept), after the same checks the config loader makes, so a plain-HTTP URL to another host is refused
// before anything is written. The token itself is never written: only where it comes from.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { Document, parseDocument } from "yaml";
import { OcmError } from "../../../core/index.js";
import { configEntryIn, ensureMap } from "./config-document.js";
import { GENERIC_CONFIG_TYPES } from "./load-config.js";
import { PLUGIN_CONFIG_TYPES } from "./plugin-settings.js";
import { remoteSchema, toRemoteSettings, type RemoteEntry, type RemoteSettings } from "./remote-settings.js";

/** Adds (or replaces) remote plugin `id` in `file`, creating the file or the plugin entry when missing. */
export async function addRemotePlugin(
  file: string,
  id: string,
  remote: RemoteEntry,
): Promise<RemoteSettings> {
  const checked = remoteSchema.safeParse(remote);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new OcmError({
      code: "OCM_USAGE_INVALID",
      message: `remote plugin ${id}: ${issue?.path.map(String).join(".") || "(root)"} ${issue?.message ?? "is invalid"}`,
      hint: "ocm plugin add-remote <id> <url...> --token-from env:<VARIABLE>|credentials [--ca <file>] [--cert <file> --key <file>]",
    });
  }
  // Files named on the command line are relative to the working directory, and are written absolute.
  const entry: RemoteEntry = { ...checked.data };
  for (const field of ["ca", "cert", "key"] as const) {
    const value = entry[field];
    if (value !== undefined) entry[field] = resolve(value);
  }
  const settings = toRemoteSettings(id, entry, {
    field: `plugins.${id}.remote`,
    resolveFile: (path) => path,
  });
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  const doc = text.trim()
    ? parseDocument(text)
    : new Document({ type: GENERIC_CONFIG_TYPES[0], configurations: [] });
  const plugins = ensureMap(configEntryIn(doc, PLUGIN_CONFIG_TYPES), "plugins");
  const plugin = ensureMap(plugins, id);
  plugin.set("remote", doc.createNode(entry));
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, doc.toString(), { mode: 0o600 });
  await rename(temp, file);
  return settings;
}
