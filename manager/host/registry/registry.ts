// The registry: which plugin serves (type or alias, capability). Built-in plugins win over external ones
// unless `prefer: external`, globally or for one plugin, whether the name is a type or an alias on either
// side; within a side an exact type name beats an alias, then the earlier directory wins, then the path
// that sorts first (discovery returns plugins in that order). Disabled and broken plugins stay listed,
// never chosen. Because the built-in side alone decides a name it serves, the manager needs no discovery
// for it (`decidedByBuiltins`). Each entry carries the plugin's handle: the registry is the one place
// that says which plugins there are and how to reach each.
import type { CapabilitiesDocument, CapabilityKind, OcmErrorData } from "../../../core/index.js";
import type { DiscoveredPlugin } from "../discover/discovered-plugin.js";
import type { PluginHandle, PluginRuntime } from "../handle/plugin-handle.js";
import type { PluginProvenance } from "../../plugin-store/plugin-record.js";

/** A type and capability a plugin declares but another plugin serves. */
export interface Shadowing {
  type: string;
  capability: CapabilityKind;
  by: string;
}

/** A row of the registry, as `ocm plugin list` shows it. */
export interface RegistryEntry {
  id: string;
  /** `remote`: a plugin service named in the ocm config, reached at its URLs (ADR 0009). */
  source: "builtin" | "external" | "remote";
  /** Executable path of an external plugin; the base URLs of a remote one, separated by spaces. */
  path?: string;
  /** The `capabilities` document (derived from the definition for built-ins). */
  document?: CapabilitiesDocument;
  state: "ok" | "broken" | "disabled";
  /** Why the plugin is broken. */
  error?: OcmErrorData;
  stderrTail?: string;
  /** Pairs this plugin declares that another plugin serves. */
  shadowed?: Shadowing[];
  /** Where `ocm plugin install` got an external plugin from. */
  provenance?: PluginProvenance;
  /** What runs of an external plugin: running with its pid, or broken after repeated crashes. */
  runtime?: PluginRuntime;
}

/** Two or more external plugins claiming the same type and capability. */
export interface Conflict {
  type: string;
  capability: CapabilityKind;
  plugins: { id: string; path: string }[];
  winner: string;
}

/** The plugin a lookup found: its entry, its handle and the canonical type name asked for. */
export interface RegistryMatch {
  entry: RegistryEntry;
  handle: PluginHandle;
  type: string;
}

export interface PluginRegistry {
  addBuiltin(plugin: { id: string; document: CapabilitiesDocument; handle: PluginHandle }): void;
  /**
   * Sets the external plugins a discovery found, in precedence order, replacing those of an earlier one.
   * A plugin found again with the same id and path keeps its handle, and so its running process.
   */
  setExternals(
    plugins: readonly DiscoveredPlugin[],
    createHandle: (entry: RegistryEntry) => PluginHandle,
  ): void;
  /** The plugin serving `capability` for `type` (canonical name or alias). */
  lookup(type: string, capability: CapabilityKind): RegistryMatch | undefined;
  /** Whether a usable built-in plugin declares `type` (canonical name or alias), for any capability. */
  builtinDeclares(type: string): boolean;
  entries(): RegistryEntry[];
  /** One plugin by id; an in-process one first when an external one has the same id. */
  get(id: string): RegistryEntry | undefined;
  /** The handle of the plugin `get(id)` returns. */
  handle(id: string): PluginHandle | undefined;
  conflicts(): Conflict[];
}

export interface RegistryOptions {
  prefer: "builtin" | "external";
  disabled: string[];
  /** `prefer` of single plugins: which side wins where this plugin and one of the other side meet. */
  preferOf?: Record<string, "builtin" | "external">;
}

/**
 * Whether the built-in plugins alone decide every lookup one of them can answer: `prefer: builtin` and no
 * plugin configured with `prefer: external`. Then such a lookup needs no discovery of external plugins.
 */
export function decidedByBuiltins(options: RegistryOptions): boolean {
  return (
    options.prefer === "builtin" && !Object.values(options.preferOf ?? {}).some((side) => side === "external")
  );
}

/** Creates an empty registry. */
export function createPluginRegistry(options: RegistryOptions): PluginRegistry {
  const builtins: RegistryEntry[] = [];
  let externals: RegistryEntry[] = [];
  const handles = new WeakMap<RegistryEntry, PluginHandle>();
  const disabled = new Set(options.disabled);

  /**
   * The winner between the first built-in and the first external plugin claiming a pair. A plugin's own
   * `prefer` decides; when both sides set one and they disagree, or neither does, the global one does.
   */
  function pick(builtin: RegistryEntry | undefined, external: RegistryEntry | undefined) {
    if (!builtin || !external) return builtin ?? external;
    const own = new Set([options.preferOf?.[builtin.id], options.preferOf?.[external.id]]);
    own.delete(undefined);
    const prefer = own.size === 1 ? [...own][0] : options.prefer;
    return prefer === "external" ? external : builtin;
  }

  function stateOf(id: string, state: "ok" | "broken"): RegistryEntry["state"] {
    return state === "ok" && disabled.has(id) ? "disabled" : state;
  }

  /** The canonical type name `type` refers to in `document`, if it declares `capability` for it. */
  function canonicalIn(document: CapabilitiesDocument | undefined, type: string, capability: CapabilityKind) {
    if (!document) return undefined;
    for (const [name, caps] of Object.entries(document.type)) {
      if (!caps.includes(capability)) continue;
      if (name === type || document.aliases?.[name]?.includes(type)) return name;
    }
    return undefined;
  }

  function lookup(type: string, capability: CapabilityKind) {
    const exact = (entry: RegistryEntry) => entry.document?.type[type]?.includes(capability) === true;
    // Within one side an exact type name beats another plugin's alias; across sides `prefer` decides, so
    // an external plugin's type named like a built-in alias (`ociArtifact`) does not take it over.
    const bestOf = (side: RegistryEntry[]) => {
      const usable = side.filter((entry) => entry.state === "ok");
      return (
        usable.find(exact) ??
        usable.find((entry) => canonicalIn(entry.document, type, capability) !== undefined)
      );
    };
    const winner = pick(bestOf(builtins), bestOf(externals));
    if (!winner) return undefined;
    return {
      entry: winner,
      handle: handles.get(winner) as PluginHandle,
      type: exact(winner) ? type : (canonicalIn(winner.document, type, capability) as string),
    };
  }

  function builtinDeclares(type: string): boolean {
    return builtins.some(
      (entry) =>
        entry.state === "ok" &&
        entry.document !== undefined &&
        (entry.document.type[type] !== undefined ||
          Object.values(entry.document.aliases ?? {}).some((aliases) => aliases.includes(type))),
    );
  }

  /** An entry as callers see it: with what its handle runs and the pairs other plugins serve instead. */
  function view(entry: RegistryEntry): RegistryEntry {
    const runtime = handles.get(entry)?.status();
    const shown = withShadowing(entry);
    return runtime ? { ...shown, runtime } : shown;
  }

  function withShadowing(entry: RegistryEntry): RegistryEntry {
    if (entry.state !== "ok" || !entry.document) return entry;
    const shadowed: Shadowing[] = [];
    for (const [type, caps] of Object.entries(entry.document.type)) {
      for (const capability of caps) {
        const winner = lookup(type, capability)?.entry;
        if (winner && winner !== entry) shadowed.push({ type, capability, by: winner.id });
      }
    }
    return shadowed.length ? { ...entry, shadowed } : entry;
  }

  function conflicts(): Conflict[] {
    const claims = new Map<string, RegistryEntry[]>();
    for (const entry of externals) {
      if (entry.state !== "ok" || !entry.document) continue;
      for (const [type, caps] of Object.entries(entry.document.type)) {
        for (const capability of caps) {
          const key = `${type}\u0000${capability}`;
          claims.set(key, [...(claims.get(key) ?? []), entry]);
        }
      }
    }
    const found: Conflict[] = [];
    for (const [key, entries] of claims) {
      if (entries.length < 2) continue;
      const [type, capability] = key.split("\u0000") as [string, CapabilityKind];
      found.push({
        type,
        capability,
        plugins: entries.map((e) => ({ id: e.id, path: e.path ?? "" })),
        winner: (entries[0] as RegistryEntry).id,
      });
    }
    return found;
  }

  function externalEntry(plugin: DiscoveredPlugin): RegistryEntry {
    const entry: RegistryEntry = {
      id: plugin.id,
      source: plugin.remote ? "remote" : "external",
      path: plugin.path,
      // Disabled by its install record (`ocm plugin disable`) or by configuration.
      state: plugin.disabled && plugin.state === "ok" ? "disabled" : stateOf(plugin.id, plugin.state),
    };
    if (plugin.provenance) entry.provenance = plugin.provenance;
    if (plugin.document) entry.document = plugin.document;
    if (plugin.error) entry.error = plugin.error;
    if (plugin.stderrTail) entry.stderrTail = plugin.stderrTail;
    return entry;
  }

  const find = (id: string) => [...builtins, ...externals].find((e) => e.id === id);

  return {
    addBuiltin({ id, document, handle }) {
      const entry: RegistryEntry = { id, source: "builtin", document, state: stateOf(id, "ok") };
      handles.set(entry, handle);
      builtins.push(entry);
    },
    setExternals(plugins, createHandle) {
      const previous = externals;
      externals = plugins.map((plugin) => {
        const entry = externalEntry(plugin);
        const known = previous.find((e) => e.id === entry.id && e.path === entry.path);
        handles.set(entry, (known && handles.get(known)) ?? createHandle(entry));
        return entry;
      });
    },
    lookup,
    builtinDeclares,
    entries: () => [...builtins, ...externals].map(view),
    get: (id) => {
      const entry = find(id);
      return entry && view(entry);
    },
    handle: (id) => {
      const entry = find(id);
      return entry && handles.get(entry);
    },
    conflicts,
  };
}
