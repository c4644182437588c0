// Lookup and precedence in the registry (ADR 0001): what a built-in plugin serves, by type or alias, stays
// with it unless `prefer: external`, so a lookup the built-ins answer needs no discovery (#11).
import { describe, expect, it } from "vitest";
import type { CapabilitiesDocument, PluginDefinition } from "../../core/index.js";
import type { DiscoveredPlugin } from "../../manager/host/discover/discovered-plugin.js";
import { createInProcessHandle } from "../../manager/host/handle/in-process-handle.js";
import type { HandleContext } from "../../manager/host/handle/plugin-handle.js";
import { createProcessHandle } from "../../manager/host/handle/process-handle.js";
import { toLazyPlugin } from "../../manager/host/registration.js";
import {
  createPluginRegistry,
  decidedByBuiltins,
  type RegistryEntry,
  type RegistryOptions,
} from "../../manager/host/registry/registry.js";

const builtinDocument: CapabilitiesDocument = {
  type: { "Archive/v1": ["componentVersionRepository"] },
  aliases: { "Archive/v1": ["archive"] },
};
// An external plugin whose type is named like the built-in's alias, and which declares the built-in's
// type name as an alias of its own.
const externalDocument: CapabilitiesDocument = {
  type: { archive: ["componentVersionRepository"], "Store/v1": ["componentVersionRepository"] },
  aliases: { "Store/v1": ["Archive/v1", "store"] },
};

const context: HandleContext = { configOf: () => undefined, onConfigError: () => undefined };
const store: DiscoveredPlugin = {
  id: "store",
  path: "/plugins/store",
  dir: "/plugins",
  state: "ok",
  document: externalDocument,
  size: 1,
  mtimeMs: 0,
  fromCache: false,
};
const externalHandle = (entry: RegistryEntry) =>
  createProcessHandle(
    { id: entry.id, configSchema: undefined, prepare: () => Promise.reject(new Error("not started here")) },
    context,
  );

function registryWith(options: Partial<RegistryOptions> = {}) {
  const registry = createPluginRegistry({ prefer: "builtin", disabled: [], ...options });
  const archive: PluginDefinition = { name: "archive", types: {} };
  registry.addBuiltin({
    id: "archive",
    document: builtinDocument,
    handle: createInProcessHandle(toLazyPlugin(archive), context),
  });
  registry.setExternals([store], externalHandle);
  return registry;
}

const winner = (registry: ReturnType<typeof registryWith>, type: string) => {
  const found = registry.lookup(type, "componentVersionRepository");
  return found && `${found.entry.id} ${found.type}`;
};

describe("plugin registry lookup", () => {
  it("keeps a built-in plugin's alias with it when an external plugin names a type the same (#11)", () => {
    const registry = registryWith();
    expect(winner(registry, "archive")).toBe("archive Archive/v1");
    expect(winner(registry, "Archive/v1")).toBe("archive Archive/v1");
    expect(winner(registry, "store")).toBe("store Store/v1");
    expect(registry.get("store")?.shadowed).toEqual([
      { type: "archive", capability: "componentVersionRepository", by: "archive" },
    ]);
  });

  it("gives names on both sides to the external plugin under prefer: external, globally or for it", () => {
    for (const registry of [
      registryWith({ prefer: "external" }),
      registryWith({ preferOf: { store: "external" } }),
    ]) {
      expect(winner(registry, "archive")).toBe("store archive");
      expect(winner(registry, "Archive/v1")).toBe("store Store/v1");
    }
  });

  it("passes over a disabled built-in plugin", () => {
    expect(winner(registryWith({ disabled: ["archive"] }), "archive")).toBe("store archive");
  });

  it("keeps the handle of a plugin discovery finds again at the same path, and gives a moved one a new one", () => {
    const registry = registryWith();
    const before = registry.handle("store");
    registry.setExternals([store], externalHandle);
    expect(registry.handle("store")).toBe(before);
    expect(registry.lookup("store", "componentVersionRepository")?.handle).toBe(before);
    registry.setExternals([{ ...store, path: "/elsewhere/store" }], externalHandle);
    expect(registry.handle("store")).not.toBe(before);
    registry.setExternals([], externalHandle);
    expect(registry.get("store")).toBeUndefined();
    expect(registry.handle("archive")?.id).toBe("archive");
  });

  it("lets the built-ins decide alone only when nothing prefers external plugins", () => {
    expect(decidedByBuiltins({ prefer: "builtin", disabled: [] })).toBe(true);
    expect(decidedByBuiltins({ prefer: "builtin", disabled: [], preferOf: { a: "builtin" } })).toBe(true);
    expect(decidedByBuiltins({ prefer: "builtin", disabled: [], preferOf: { a: "external" } })).toBe(false);
    expect(decidedByBuiltins({ prefer: "external", disabled: [] })).toBe(false);
  });
});
