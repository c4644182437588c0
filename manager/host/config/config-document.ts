// Edits of the ocm config file that keep its comments and layout (yaml's Document): the entry of one
// configuration type, found or added, whether the file is that entry itself, OCM's generic envelope or a
// bare entry of another type (then wrapped in the envelope, unchanged).
import { Document, isMap, isSeq, type YAMLMap, type YAMLSeq } from "yaml";
import { OcmError } from "../../../core/index.js";
import { GENERIC_CONFIG_TYPES } from "./load-config.js";

/** The (last) entry whose type is one of `types` (the first is the one written), added when there is none. */
export function configEntryIn(doc: Document, types: readonly string[]): YAMLMap {
  const root = doc.contents;
  if (!isMap(root)) {
    throw new OcmError({
      code: "OCM_CONFIG_INVALID",
      message: "the ocm config file is not a mapping",
      hint: "Fix the config file, or pass another with --config.",
    });
  }
  const rootType = root.get("type");
  if ((types as readonly unknown[]).includes(rootType)) return root;
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
    .filter((item) => isMap(item) && (types as readonly unknown[]).includes(item.get("type")))
    .at(-1) as YAMLMap | undefined;
  if (last) return last;
  const created = doc.createNode({ type: types[0] }) as YAMLMap;
  list.add(created);
  return created;
}

/** The mapping at `key` of `parent`, added empty when there is none. */
export function ensureMap(parent: YAMLMap, key: string): YAMLMap {
  const found = parent.get(key);
  if (isMap(found)) return found;
  const created = new Document().createNode({}) as YAMLMap;
  parent.set(key, created);
  return created;
}
