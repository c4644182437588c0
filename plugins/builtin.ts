// The one place where in-process plugins are listed: the ADR's essential plugins, registered by default so
// a fresh install works with no extra binaries. Each is registered by its document and imported on its first
// use, so a command loads only the plugins it uses (#15).
import type { LazyPluginDefinition } from "../core/index.js";
import { builtinDocuments } from "./builtin-documents.js";
import { builtinLoaders, type BuiltinPluginId } from "./builtin-loaders.js";

/** The plugins every default manager registers in-process, each loaded on its start or first call. */
export function builtinPlugins(): LazyPluginDefinition[] {
  return (Object.keys(builtinLoaders) as BuiltinPluginId[]).map((id) => ({
    id,
    document: builtinDocuments[id],
    load: builtinLoaders[id],
  }));
}
