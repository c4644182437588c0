// `ocm plugin uninstall|enable|disable`: act on one plugin file in a plugin directory and its record.
// Disabling keeps the file; discovery lists the plugin as disabled and lookup never chooses it.
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { OcmError, type EventPublisher } from "../../../core/index.js";
import { isPluginFileName, pluginIdOf } from "../../plugin-store/plugin-files.js";
import { readPluginRecord, removePluginRecord, writePluginRecord } from "../../plugin-store/plugin-record.js";

/** The plugin file with id `id` in one of `dirs` (first directory wins, as in discovery). */
export async function findPluginFile(dirs: string[], id: string): Promise<{ dir: string; file: string }> {
  for (const dir of dirs) {
    const names = (await readdir(dir).catch(() => [] as string[])).sort();
    const file = names.find((name) => isPluginFileName(name) && pluginIdOf(name) === id);
    if (file) return { dir, file };
  }
  throw new OcmError({
    code: "OCM_INSTALL_NOT_INSTALLED",
    message: `no plugin with id ${JSON.stringify(id)} in ${dirs.join(", ")}`,
    hint: "Use an id shown by `ocm plugin list` (external plugins only), or pass the right --plugin-dir.",
  });
}

/** Removes the plugin file and its record; returns the removed path. */
export async function uninstallPlugin(dirs: string[], id: string, events?: EventPublisher): Promise<string> {
  const { dir, file } = await findPluginFile(dirs, id);
  await rm(join(dir, file), { force: true });
  await removePluginRecord(dir, id);
  await events?.publish({
    type: "plugin.uninstalled",
    subject: { plugin: { id } },
    data: { path: join(dir, file) },
  });
  return join(dir, file);
}

/** Marks the plugin disabled (`enabled: false`) or enabled again; returns its path. */
export async function setPluginEnabled(dirs: string[], id: string, enabled: boolean): Promise<string> {
  const { dir, file } = await findPluginFile(dirs, id);
  const record = (await readPluginRecord(dir, id)) ?? { file };
  const { disabled: _previous, ...rest } = record;
  await writePluginRecord(dir, id, enabled ? { ...rest, file } : { ...rest, file, disabled: true });
  return join(dir, file);
}
