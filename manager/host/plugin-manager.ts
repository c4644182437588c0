// The plugin manager: keeps the registry, discovers external plugins only when a lookup needs them, starts
// them lazily and hands out capability interfaces that look the same whether the plugin runs in-process or
// behind a socket.
import { homedir } from "node:os";
import {
  OcmError,
  describePlugin,
  type CapabilityKind,
  type CapabilityMap,
  type ConnectionStatus,
  type PluginDefinition,
  type PluginProbeResult,
  type TestConnectionRequest,
  type TestConnectionResult,
} from "../../core/index.js";
import { boundBlobs } from "./call/bound-blobs.js";
import { checkDescriptorIdentity } from "./call/check-descriptor-identity.js";
import { createInProcessCapability } from "./call/in-process-capability.js";
import { createRemoteCapability } from "./call/remote-capability.js";
import { getConnectionStatus, testConnection } from "./call/control.js";
import { loadOcmConfig, type OcmConfig } from "./config/load-config.js";
import { disabledPlugins, pluginConfigFor, pluginPreferences, settingsOf } from "./config/per-plugin.js";
import type { PluginSettings } from "./config/plugin-settings.js";
import { createCredentialResolver, type CredentialResolver } from "./credentials/credential-resolver.js";
import {
  accessIdentityFrom,
  injectCredentials,
  type AccessIdentity,
} from "./credentials/inject-credentials.js";
import { defaultCacheFile, discoverPlugins } from "./discover/discover-plugins.js";
import { resolvePluginDirs } from "./discover/plugin-dirs.js";
import { runCapabilities } from "./discover/run-capabilities.js";
import { createHostLogger, type LogLevel, type Logger } from "./log.js";
import { PluginProcess } from "./process/plugin-process.js";
import {
  createPluginRegistry,
  decidedByBuiltins,
  type PluginRegistry,
  type RegistryEntry,
  type RegistryOptions,
} from "./registry/registry.js";
import { toPluginDefinition, type PluginRegistration } from "./registration.js";
import { hostState } from "./runtime/host-state.js";
import { createSocketDir } from "./start/socket-dir.js";
import { installExitHooks } from "./stop/exit-hooks.js";

/** What the first use of a manager settles: the config, where plugins live, the in-process registry. */
interface BaseState {
  config: OcmConfig;
  dirs: string[];
  registryOptions: RegistryOptions;
  /** True when a lookup the in-process plugins answer is final (`decidedByBuiltins`). */
  builtinsDecide: boolean;
  /** The registry of in-process plugins only. */
  builtins: PluginRegistry;
}

export interface PluginManagerOptions {
  /** Plugin directories given on the command line (`--plugin-dir`), searched first. */
  pluginDirs?: string[];
  /** The ocm config file; defaults to `~/.ocmconfig` when it exists. */
  configFile?: string;
  /** In-process plugins, registered before discovery. */
  builtins?: PluginRegistration[];
  /** Which wins when an in-process and an external plugin claim the same type and capability. */
  prefer?: "builtin" | "external";
  /** Plugin ids to keep listed but never use. */
  disabled?: string[];
  /**
   * Per-plugin configuration by id, passed to an in-process plugin's init hook and to an external one on
   * the secrets line; wins over `plugins.<id>.config` of the config file. Checked against the plugin's
   * configSchema when the plugin is first used.
   */
  pluginConfig?: Record<string, unknown>;
  /** Idle timeout of external plugins (ms). Default 5 minutes. */
  idleTimeoutMs?: number;
  /** Bound on a plugin start (ms). Default 10 s. */
  startTimeoutMs?: number;
  /**
   * Bound on each call to an external plugin (ms): until its answer starts, and between two bytes of a
   * body either way, so a blob streams as long as it moves. Default 60 s.
   */
  callTimeoutMs?: number;
  /** Bound on a JSON answer of an external plugin, in bytes. Default 16 MiB. */
  maxResponseSize?: number;
  /** Bound on a blob whose size its plugin does not declare, in bytes. Default: none. */
  maxBlobSize?: number;
  /** Bound on each `capabilities` run during discovery (ms). Default 10 s. */
  discoveryTimeoutMs?: number;
  /** Discovery cache file; `false` disables the cache. */
  cacheFile?: string | false;
  /** `auto` uses unix sockets and falls back to loopback TCP. */
  transport?: "auto" | "unix" | "tcp";
  logger?: Logger;
  logLevel?: LogLevel;
  /** Stop plugins on SIGINT/SIGTERM/exit of the host. Default true. */
  handleSignals?: boolean;
  /**
   * The environment the manager reads its own settings from (`OCM_PLUGIN_DIR`, `XDG_CACHE_HOME`,
   * `DOCKER_CONFIG`); default `process.env`. Plugin processes (`capabilities` and `server`) run with the
   * host's `process.env` overlaid with these values, so `{}` leaves the plugins' environment as it is, a
   * value adds or replaces a variable and `undefined` removes one.
   */
  env?: Record<string, string | undefined>;
  /** The home directory for `~/.ocmconfig`, the default plugin directory and caches; default the user's. */
  home?: string;
}

/** A row of `ocm plugin list`. */
export interface PluginListEntry extends RegistryEntry {
  /** Runtime state of an external plugin: running with its pid, or broken after repeated crashes. */
  runtime?: { state: string; pid?: number | undefined; location?: string | undefined; starts: number };
}

export interface PluginManager {
  /** Registers an in-process plugin (the ADR's RegisterPluginImplementationForTypeAndCapabilities). */
  registerPlugin(registration: PluginRegistration): void;
  /** The implementation of `capability` for `type` (or an alias); in-process and remote look the same. */
  getPlugin<K extends CapabilityKind>(type: string, capability: K): Promise<CapabilityMap[K]>;
  /** Every known plugin with its state, for `ocm plugin list`. */
  list(options?: { refresh?: boolean }): Promise<PluginListEntry[]>;
  /** One plugin by id. */
  info(id: string): Promise<PluginListEntry>;
  /** Types claimed by more than one external plugin, with the winner. */
  conflicts(): Promise<ReturnType<PluginRegistry["conflicts"]>>;
  /** Seed 000's ConnectionStatus of a plugin (starts an external plugin if needed). */
  connectionStatus(id: string): Promise<ConnectionStatus>;
  /** Seed 000's TestConnection through a plugin. */
  testConnection(id: string, request: TestConnectionRequest): Promise<TestConnectionResult>;
  /**
   * Whether the in-process plugins alone decide a lookup they can answer (no `prefer: external`, globally
   * or for one plugin): a type or alias they serve then needs no discovery, in references too.
   */
  builtinsDecide(): Promise<boolean>;
  /** The plugin directories in precedence order; `ocm plugin install` writes into the first. */
  pluginDirs(): Promise<string[]>;
  /** Runs a plugin file's `capabilities` (bounded, in its own process group) without adding it. */
  probePlugin(path: string, timeoutMs: number): Promise<PluginProbeResult>;
  /** Stops every started plugin (reverse start order) and releases the socket directory. */
  close(): Promise<void>;
  readonly logger: Logger;
}

/**
 * Creates a plugin manager. Nothing is discovered or started until it is first used, and plugin directories
 * are searched only when a lookup cannot be decided by the in-process plugins alone (issue #11).
 */
export function createPluginManager(options: PluginManagerOptions = {}): PluginManager {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const logger = options.logger ?? createHostLogger(options.logLevel);
  const definitions = new Map<string, PluginDefinition>();
  const processes = new Map<string, PluginProcess>();
  const startOrder: PluginProcess[] = [];
  const initialised = new Map<string, Promise<void>>();
  let socketDir: Promise<Awaited<ReturnType<typeof createSocketDir>>> | undefined;
  /** Config, settings and the registry of in-process plugins: the first use of the manager. */
  let base: Promise<BaseState> | undefined;
  /** The registry with the discovered external plugins too, once a lookup or a listing needed it. */
  let discovered: Promise<PluginRegistry> | undefined;
  let closed = false;
  let uninstallHooks: (() => void) | undefined;

  for (const registration of options.builtins ?? []) addDefinition(registration);

  function addDefinition(registration: PluginRegistration): void {
    const definition = toPluginDefinition(registration);
    if (base) {
      throw new OcmError({
        code: "OCM_USAGE_INVALID",
        message: `plugin ${definition.name} registered after the manager was first used`,
        hint: "Register in-process plugins before the first getPlugin or list call.",
      });
    }
    definitions.set(definition.name, definition);
  }

  function baseState(): Promise<BaseState> {
    base ??= loadBase();
    return base;
  }

  /** The full registry: built-in and discovered plugins. `refresh` asks every plugin again (#10). */
  function registry(refresh = false): Promise<PluginRegistry> {
    if (refresh || !discovered) discovered = baseState().then((state) => discover(state, refresh));
    return discovered;
  }

  let resolver: Promise<CredentialResolver> | undefined;
  /** Created on the first call that has a target with a consumer identity. */
  function credentialResolver(): Promise<CredentialResolver> {
    resolver ??= loadedConfig.then((config) => createCredentialResolver({ manager: self, config }));
    return resolver;
  }
  let loadedConfig: Promise<OcmConfig> = Promise.resolve({ plugin: {}, entries: [] });

  async function loadBase(): Promise<BaseState> {
    // Plugins and `capabilities` runs are process-group leaders, out of reach of a terminal's Ctrl-C:
    // the host stops them on its own signals, from the first spawn on.
    if (options.handleSignals !== false && !uninstallHooks) {
      uninstallHooks = installExitHooks(close, killAllSync);
    }
    // One directory listing: clean up after ocm runs that were killed (their sockets, temp dirs, plugins).
    const runtime = hostState().open();
    loadedConfig = loadOcmConfig({ ...(options.configFile ? { path: options.configFile } : {}), home });
    const config = await loadedConfig;
    const settings = config.plugin;
    fileSettings = settings;
    const registryOptions: RegistryOptions = {
      prefer: options.prefer ?? settings.prefer ?? "builtin",
      disabled: disabledPlugins(settings, options.disabled),
      preferOf: pluginPreferences(settings),
    };
    const dirs = resolvePluginDirs({
      flagDirs: options.pluginDirs ?? [],
      env,
      configDirs: settings.locations ?? [],
      home,
    });
    idleTimeoutMs = options.idleTimeoutMs ?? settings.idleTimeoutMs ?? 5 * 60_000;
    startTimeoutMs = options.startTimeoutMs ?? settings.startTimeoutMs;
    callTimeoutMs = options.callTimeoutMs ?? settings.callTimeoutMs;
    maxResponseBytes = options.maxResponseSize ?? settings.maxResponseSize;
    maxBlobBytes = options.maxBlobSize ?? settings.maxBlobSize;
    const { problem, reaped } = await runtime;
    if (problem) logger.warn({ code: problem.code, hint: problem.hint }, problem.message);
    if (reaped?.hosts) logger.debug(reaped, "cleaned up after ocm runs that were killed");
    return {
      config,
      dirs,
      registryOptions,
      builtinsDecide: decidedByBuiltins(registryOptions),
      builtins: withBuiltins(createPluginRegistry(registryOptions)),
    };
  }

  function withBuiltins(reg: PluginRegistry): PluginRegistry {
    for (const definition of definitions.values()) {
      reg.addBuiltin({ id: definition.name, document: describePlugin(definition), definition });
    }
    return reg;
  }

  async function discover(state: BaseState, refresh: boolean): Promise<PluginRegistry> {
    const settings = state.config.plugin;
    const reg = withBuiltins(createPluginRegistry(state.registryOptions));
    const cacheFile =
      options.cacheFile === false ? undefined : (options.cacheFile ?? defaultCacheFile(env, home));
    const timeoutMs = options.discoveryTimeoutMs ?? settings.discoveryTimeoutMs;
    const discovery = await discoverPlugins({
      dirs: state.dirs,
      refresh,
      ...(cacheFile ? { cacheFile } : {}),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      env,
    });
    for (const plugin of discovery.plugins) reg.addExternal(plugin);
    for (const id of Object.keys(settings.plugins ?? {})) {
      if (!reg.get(id))
        logger.warn(
          { config: state.config.path },
          `the config file configures plugin ${id}, which is not known`,
        );
    }
    logger.debug(
      { dirs: state.dirs, plugins: discovery.plugins.length, spawned: discovery.spawned },
      "plugins discovered",
    );
    return reg;
  }
  let idleTimeoutMs = 5 * 60_000;
  let startTimeoutMs: number | undefined;
  let callTimeoutMs: number | undefined;
  let maxResponseBytes: number | undefined;
  let maxBlobBytes: number | undefined;
  let fileSettings: PluginSettings = {};

  /** The plugin's own configuration, checked against its configSchema (throws OCM_PLUGIN_CONFIG_INVALID). */
  function configOf(id: string, schema: Record<string, unknown> | undefined) {
    return pluginConfigFor(id, schema, { options: options.pluginConfig, settings: fileSettings });
  }

  async function processFor(entry: RegistryEntry): Promise<PluginProcess> {
    const existing = processes.get(entry.id);
    if (existing) return existing;
    const own = configOf(entry.id, entry.document?.configSchema);
    const single = settingsOf(fileSettings, entry.id);
    const startMs = options.startTimeoutMs ?? single.startTimeoutMs ?? startTimeoutMs;
    const callMs = options.callTimeoutMs ?? single.callTimeoutMs ?? callTimeoutMs;
    socketDir ??= createSocketDir();
    const dir = await socketDir;
    // Concurrent first calls (a transfer copying two resources of one plugin) meet here: one process each
    // would both be launch 1 on the same socket path.
    const raced = processes.get(entry.id);
    if (raced) return raced;
    const created = new PluginProcess({
      id: entry.id,
      path: entry.path as string,
      socketDir: dir.path,
      transport: options.transport ?? "auto",
      idleTimeoutMs: options.idleTimeoutMs ?? single.idleTimeoutMs ?? idleTimeoutMs,
      ...(startMs === undefined ? {} : { startTimeoutMs: startMs }),
      ...(callMs === undefined ? {} : { callTimeoutMs: callMs }),
      logger,
      logLevel: logger.level,
      ...(own ? { pluginConfig: own.config } : {}),
      env,
    });
    processes.set(entry.id, created);
    startOrder.push(created);
    if (options.handleSignals !== false && !uninstallHooks) {
      uninstallHooks = installExitHooks(close, killAllSync);
    }
    return created;
  }

  function ensureInit(definition: PluginDefinition): Promise<void> {
    let pending = initialised.get(definition.name);
    if (!pending) {
      pending = Promise.resolve()
        .then(() => definition.init?.(configOf(definition.name, definition.configSchema)?.config))
        .then(() => undefined);
      initialised.set(definition.name, pending);
      pending.catch(() => initialised.delete(definition.name));
    }
    return pending;
  }

  function assertOpen(): void {
    if (closed) {
      throw new OcmError({
        code: "OCM_PLUGIN_STOPPED",
        message: "the plugin manager is closed",
        hint: "Create a new manager with createPluginManager().",
      });
    }
  }

  async function getPlugin<K extends CapabilityKind>(type: string, capability: K): Promise<CapabilityMap[K]> {
    assertOpen();
    // Built-ins first: a type or alias one of them serves is decided without listing plugin directories.
    const state = await baseState();
    let found = state.builtinsDecide ? state.builtins.lookup(type, capability) : undefined;
    if (!found) {
      const reg = await registry();
      found = reg.lookup(type, capability);
      if (!found) throw notFound(reg, type, capability);
    }
    const { entry, type: canonical } = found;
    if (entry.source === "builtin") {
      const definition = definitions.get(entry.id) as PluginDefinition;
      const impl = definition.types[canonical]?.capabilities[capability] as CapabilityMap[K];
      await ensureInit(definition);
      return guarded(capability, createInProcessCapability(capability, impl), entry.id);
    }
    const proc = await processFor(entry);
    const remoteOf = <C extends CapabilityKind>(kind: C) =>
      createRemoteCapability(kind, canonical, () => proc.connect(), { pluginId: entry.id, maxResponseBytes });
    // A plugin offering credentialRepository for its own access type names that access's consumer identity.
    const ownsIdentity = entry.document?.type[canonical]?.includes("credentialRepository") === true;
    const identity = ownsIdentity ? accessIdentityFrom(remoteOf("credentialRepository")) : undefined;
    return guarded(capability, remoteOf(capability), entry.id, identity);
  }

  /** What the host checks on every capability, whoever implements it: descriptor identity, blob sizes. */
  function guarded<K extends CapabilityKind>(
    capability: K,
    impl: CapabilityMap[K],
    pluginId: string,
    accessIdentity?: AccessIdentity,
  ): CapabilityMap[K] {
    const checked = checkDescriptorIdentity(capability, impl, pluginId);
    const bounded = boundBlobs(capability, checked, { pluginId, maxBlobBytes });
    return injectCredentials(capability, bounded, credentialResolver, accessIdentity);
  }

  function notFound(reg: PluginRegistry, type: string, capability: CapabilityKind): OcmError {
    const offered = reg
      .entries()
      .filter((e) => e.state === "ok")
      .flatMap((e) =>
        Object.entries(e.document?.type ?? {})
          .filter(([, caps]) => caps.includes(capability))
          .map(([name]) => name),
      );
    // Plugins published by ocm-ts are named after the type they serve: `Name/v1` → ocm.software/plugins/name.
    const install = `ocm plugin install <repository>//ocm.software/plugins/${type.replace(/\/v\d+\w*$/, "").toLowerCase()}`;
    return new OcmError({
      code: "OCM_PLUGIN_NOT_FOUND",
      message: `no plugin offers ${capability} for type ${JSON.stringify(type)}`,
      hint: offered.length
        ? `Install the plugin for it (\`${install}\`), or use a known type for ${capability}: ${[...new Set(offered)].sort().join(", ")}.`
        : `Install the plugin for it: \`${install}\` (see \`ocm plugin list\`).`,
      details: { type, capability },
    });
  }

  /** `refresh` asks every plugin for its capabilities again, a timed-out one included (#10). */
  async function list(listOptions: { refresh?: boolean } = {}): Promise<PluginListEntry[]> {
    const reg = await registry(listOptions.refresh === true);
    return reg.entries().map((entry) => withRuntime(entry));
  }

  function withRuntime(entry: RegistryEntry): PluginListEntry {
    const proc = processes.get(entry.id);
    if (!proc) return entry;
    return {
      ...entry,
      runtime: { state: proc.state, pid: proc.pid, location: proc.location, starts: proc.starts },
    };
  }

  async function info(id: string): Promise<PluginListEntry> {
    const reg = await registry();
    const entry = reg.get(id);
    if (!entry) {
      throw new OcmError({
        code: "OCM_PLUGIN_UNKNOWN_ID",
        message: `no plugin with id ${JSON.stringify(id)}`,
        hint: `Known ids: ${reg
          .entries()
          .map((e) => e.id)
          .join(", ")}.`,
      });
    }
    return withRuntime(entry);
  }

  async function usable(id: string): Promise<RegistryEntry> {
    // An in-process plugin's id and state do not depend on what discovery finds.
    const builtin = (await baseState()).builtins.get(id);
    const entry = builtin ? withRuntime(builtin) : await info(id);
    if (entry.state !== "ok") {
      throw new OcmError({
        code: "OCM_PLUGIN_BROKEN",
        message: `plugin ${id} is ${entry.state}${entry.error ? `: ${entry.error.message}` : ""}`,
        hint: entry.error?.hint ?? "See `ocm plugin info` for the reason.",
      });
    }
    return entry;
  }

  async function connectionStatus(id: string): Promise<ConnectionStatus> {
    const entry = await usable(id);
    if (entry.source === "builtin") {
      const definition = definitions.get(id) as PluginDefinition;
      await ensureInit(definition);
      return definition.connectionStatus ? await definition.connectionStatus() : { status: "unknown" };
    }
    const proc = await processFor(entry);
    return getConnectionStatus(() => proc.connect());
  }

  async function testConnectionOf(id: string, request: TestConnectionRequest): Promise<TestConnectionResult> {
    const entry = await usable(id);
    if (entry.source === "builtin") {
      const definition = definitions.get(id) as PluginDefinition;
      if (!definition.testConnection) {
        throw new OcmError({
          code: "OCM_RPC_NOT_FOUND",
          message: `plugin ${id} does not implement test-connection`,
          hint: "Its capabilities document says which control routes it serves.",
        });
      }
      return definition.testConnection(request);
    }
    const proc = await processFor(entry);
    return testConnection(() => proc.connect(), request);
  }

  function killAllSync(): void {
    for (const proc of startOrder) proc.killSync();
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    uninstallHooks?.();
    for (const proc of [...startOrder].reverse()) await proc.stop();
    for (const definition of definitions.values()) {
      if (initialised.has(definition.name)) await definition.close?.();
    }
    if (socketDir) await (await socketDir).remove();
    await hostState().flush();
  }

  const self: PluginManager = {
    registerPlugin: addDefinition,
    getPlugin,
    list,
    info,
    conflicts: async () => (await registry()).conflicts(),
    builtinsDecide: async () => (await baseState()).builtinsDecide,
    pluginDirs: async () => [...(await baseState()).dirs],
    connectionStatus,
    testConnection: testConnectionOf,
    probePlugin: (path, timeoutMs) => runCapabilities(path, timeoutMs, env),
    close,
    logger,
  };
  return self;
}
