// `ocm plugin add-remote`: writes `plugins.<id>.remote` into the plugin entry of the ocm config file (comments
// kept), after the same checks the config loader makes, so a plain-HTTP URL to another host is refused
// before anything is written. The token itself is never written: only where it comes from.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { Document, isMap, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from "yaml";
import { OcmError } from "../../../core/index.js";
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
  const plugins = ensureMap(doc, pluginEntryIn(doc), "plugins");
  const plugin = ensureMap(doc, plugins, id);
  plugin.set("remote", doc.createNode(entry));
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, doc.toString(), { mode: 0o600 });
  await rename(temp, file);
  return settings;
}

/** The (last) plugin entry of the document, added to its configurations when there is none. */
function pluginEntryIn(doc: Document): YAMLMap {
  const root = doc.contents;
  if (!isMap(root)) {
    throw new OcmError({
      code: "OCM_CONFIG_INVALID",
      message: "the ocm config file is not a mapping",
      hint: "Fix the config file, or pass another with --config.",
    });
  }
  const rootType = root.get("type");
  if ((PLUGIN_CONFIG_TYPES as readonly unknown[]).includes(rootType)) return root;
  let list: YAMLSeq;
  if ((GENERIC_CONFIG_TYPES as readonly unknown[]).includes(rootType)) {
    const found = root.get("configurations");
    if (isSeq(found)) list = found;
    else {
      list = doc.createNode([]) as YAMLSeq;
      root.set("configurations", list);
    }
  } else {
    // A bare configuration object: wrap it in the generic envelope, unchanged, and add ours beside it.
    list = doc.createNode([]) as YAMLSeq;
    list.add(root);
    doc.contents = doc.createNode({ type: GENERIC_CONFIG_TYPES[0] }) as YAMLMap;
    (doc.contents as YAMLMap).set("configurations", list);
  }
  const last = list.items
    .filter((item) => isMap(item) && (PLUGIN_CONFIG_TYPES as readonly unknown[]).includes(item.get("type")))
    .at(-1) as YAMLMap | undefined;
  if (last) return last;
  const created = doc.createNode({ type: PLUGIN_CONFIG_TYPES[0] }) as YAMLMap;
  list.add(created);
  return created;
}

function ensureMap(doc: Document, parent: YAMLMap, key: string): YAMLMap {
  const found = parent.get(key);
  if (isMap(found)) return found;
  const created = doc.createNode({}) as YAMLMap;
  parent.set(key, created);
  return created;
}
