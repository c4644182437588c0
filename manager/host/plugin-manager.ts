// The plugin manager: one registry of plugin handles, in-process and external alike. It settles its
// settings on first use, discovers external plugins only when a lookup needs them, starts a plugin through
// its handle and hands out its capabilities behind the host's checks.
import { homedir } from "node:os";
import {
  OcmError,
  type CapabilityKind,
  type CapabilityMap,
  type ConnectionStatus,
  type PluginProbeResult,
  type TestConnectionRequest,
  type TestConnectionResult,
} from "../../core/index.js";
import { runAction, type ActionRun, type RunActionRequest } from "./actions/run-action.js";
import { guardCapability } from "./call/guard-capability.js";
import { eventSettingsOf } from "./config/event-scopes.js";
import { configChecker, pluginConfigFor } from "./config/per-plugin.js";
import { createCredentialResolver, type CredentialResolver } from "./credentials/credential-resolver.js";
import { accessIdentityFrom } from "./credentials/inject-credentials.js";
import { discoverPlugins } from "./discover/discover-plugins.js";
import { runCapabilities } from "./discover/run-capabilities.js";
import { createInProcessHandle } from "./handle/in-process-handle.js";
import type { HandleContext, PluginHandle } from "./handle/plugin-handle.js";
import { createProcessHandle } from "./handle/process-handle.js";
import { createHostLogger, type Logger } from "./log.js";
import type { PluginManagerOptions } from "./plugin-manager-options.js";
import { toLazyPlugin, type PluginRegistration } from "./registration.js";
import { createRemotePlugins } from "./remote-plugins.js";
import {
  startRegistrationServer,
  type RegisteredInstance,
  type RegistrationServer,
} from "./registration-server/registration-server.js";
import { pluginNotFound, pluginUnusable, unknownPluginId } from "./registry/registry-errors.js";
import {
  createPluginRegistry,
  type PluginRegistry,
  type RegistryEntry,
  type RegistryMatch,
} from "./registry/registry.js";
import { hostState } from "./runtime/host-state.js";
import { loadHostSettings, type HostSettings } from "./start/host-settings.js";
import { processOptionsFor } from "./start/process-options.js";
import { createSocketDir, type SocketDir } from "./start/socket-dir.js";
import { installExitHooks } from "./stop/exit-hooks.js";
import { createStopOrder } from "./stop/stop-order.js";

export type { PluginManagerOptions } from "./plugin-manager-options.js";

/**
 * A row of `ocm plugin list`: the registry's entry with its runtime, an external plugin running with its
 * pid or broken after repeated crashes, any plugin in `config error` when its configuration or init
 * failed, with the reason.
 */
export type PluginListEntry = RegistryEntry;

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
   * Runs one of a plugin's actions (adr/0010-actions.md) where the plugin is enabled for the scope, with
   * data checked against the action's schema first; progress lines reach `onProgress` as they arrive.
   */
  runAction(request: RunActionRequest): Promise<ActionRun>;
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
  /** The registration endpoint, with `registration` in the options (issue #17 item 3). */
  readonly registration?: Pick<RegistrationServer, "ready"> & { instances(): RegisteredInstance[] };
}

/** What the first use of a manager settles: its settings and the registry, holding the in-process plugins. */
interface Host {
  settings: HostSettings;
  registry: PluginRegistry;
  context: HandleContext;
}

/**
 * Creates a plugin manager. Nothing is discovered or started until it is first used, and plugin directories
 * are searched only when a lookup cannot be decided by the in-process plugins alone (issue #11).
 */
export function createPluginManager(options: PluginManagerOptions = {}): PluginManager {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const logger = options.logger ?? createHostLogger(options.logLevel);
  /**
   * In-process plugins registered before the first use, when they move into the registry. A lazy one's code
   * is imported on its start or first call only, so a command loads the plugins it uses (#15).
   */
  const registrations = (options.builtins ?? []).map(toLazyPlugin);
  const stopOrder = createStopOrder();
  let opened: Promise<Host> | undefined;
  /** The registry once the external plugins are in it too; a refresh discovers them again. */
  let discovered: Promise<Host> | undefined;
  let socketDir: Promise<SocketDir> | undefined;
  let resolver: Promise<CredentialResolver> | undefined;
  let uninstallHooks: (() => void) | undefined;
  let closed = false;
  // A remote plugin's token may come from the config's consumers only: asking a credential plugin could
  // need the discovery that is asking for the token.
  // A registration or a drop makes the next lookup discover again, so it sees the services as they are.
  const registration = options.registration
    ? startRegistrationServer(options.registration, () => (discovered = undefined))
    : undefined;
  const remotes = createRemotePlugins({
    env,
    callTimeoutMs: options.callTimeoutMs,
    registered: registration && {
      instances: () => registration.instances(),
      token: (options.registration as { token: string }).token,
    },
    credentials: async () =>
      createCredentialResolver({
        manager: self,
        config: (await host()).settings.config,
        useTypeDefaults: false,
      }),
  });

  function registerPlugin(registration: PluginRegistration): void {
    const plugin = toLazyPlugin(registration);
    if (opened) {
      throw new OcmError({
        code: "OCM_USAGE_INVALID",
        message: `plugin ${plugin.id} registered after the manager was first used`,
        hint: "Register in-process plugins before the first getPlugin or list call.",
      });
    }
    registrations.push(plugin);
  }

  function host(): Promise<Host> {
    opened ??= openHost();
    return opened;
  }

  async function openHost(): Promise<Host> {
    // Plugins and `capabilities` runs are process-group leaders, out of reach of a terminal's Ctrl-C:
    // the host stops them on its own signals, from the first spawn on.
    if (options.handleSignals !== false) {
      uninstallHooks ??= installExitHooks(close, () => stopOrder.killAllSync());
    }
    // One directory listing: clean up after ocm runs that were killed (their sockets, temp dirs, plugins).
    const runtime = hostState().open();
    const settings = await loadHostSettings(options, { env, home });
    const configSources = { options: options.pluginConfig, settings: settings.config.plugin };
    const checker = await configChecker(configSources);
    const context: HandleContext = {
      configOf: (id, schema) => pluginConfigFor(id, schema, configSources, checker),
      onConfigError: (id, error) =>
        hostState().setPluginState({ id, state: "config error", message: error.message, code: error.code }),
    };
    const registry = createPluginRegistry(settings.registryOptions);
    for (const plugin of registrations) {
      registry.addBuiltin({
        id: plugin.id,
        document: plugin.document,
        handle: createInProcessHandle(plugin, context),
      });
    }
    const { problem, reaped } = await runtime;
    if (problem) logger.warn({ code: problem.code, hint: problem.hint }, problem.message);
    if (reaped?.hosts) logger.debug(reaped, "cleaned up after ocm runs that were killed");
    return { settings, registry, context };
  }

  /** The registry with the external plugins in it. `refresh` asks every plugin again (#10). */
  function withExternals(refresh = false): Promise<Host> {
    if (refresh || !discovered) discovered = host().then((opened) => discover(opened, refresh));
    return discovered;
  }

  async function discover(opened: Host, refresh: boolean): Promise<Host> {
    const { settings, registry } = opened;
    const discovery = await discoverPlugins({
      dirs: [...settings.dirs],
      refresh,
      ...(settings.cacheFile ? { cacheFile: settings.cacheFile } : {}),
      ...(settings.discoveryTimeoutMs === undefined ? {} : { timeoutMs: settings.discoveryTimeoutMs }),
      env,
    });
    const remote = await remotes.discover(settings, refresh);
    registry.setExternals([...remote, ...discovery.plugins], (entry) => externalHandle(opened, entry));
    for (const id of Object.keys(settings.config.plugin.plugins ?? {})) {
      if (!registry.get(id)) {
        logger.warn(
          { config: settings.config.path },
          `the config file configures plugin ${id}, which is not known`,
        );
      }
    }
    logger.debug(
      { dirs: settings.dirs, plugins: discovery.plugins.length, spawned: discovery.spawned },
      "plugins discovered",
    );
    return opened;
  }

  function externalHandle({ settings, context }: Host, entry: RegistryEntry): PluginHandle {
    if (entry.source === "remote") return remotes.handle(entry.id, settings);
    return createProcessHandle(
      {
        id: entry.id,
        configSchema: entry.document?.configSchema,
        maxResponseBytes: settings.maxResponseBytes,
        prepare: async (pluginConfig) => {
          socketDir ??= createSocketDir();
          const dir = await socketDir;
          return processOptionsFor(entry.id, entry.path as string, {
            options,
            settings,
            socketDir: dir.path,
            logger,
            env,
            pluginConfig,
          });
        },
      },
      context,
    );
  }

  /** Starts a plugin through its handle; a started plugin is stopped by close(), the last started first. */
  async function started(handle: PluginHandle): Promise<PluginHandle> {
    await handle.start();
    stopOrder.add(handle);
    return handle;
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

  async function lookup(type: string, capability: CapabilityKind): Promise<RegistryMatch> {
    // Built-ins first: a type or alias one of them serves is decided without listing plugin directories.
    const { settings, registry } = await host();
    const decided = settings.builtinsDecide ? registry.lookup(type, capability) : undefined;
    if (decided) return decided;
    // A type a built-in declares is the built-in's: what it does not serve for it, nobody does. Transfer
    // asks every target for optional capabilities (place-blob); the answer costs no directory listing.
    if (settings.builtinsDecide && registry.builtinDeclares(type)) {
      throw pluginNotFound(registry, type, capability);
    }
    await withExternals();
    const found = registry.lookup(type, capability);
    if (!found) throw pluginNotFound(registry, type, capability);
    return found;
  }

  async function getPlugin<K extends CapabilityKind>(type: string, capability: K): Promise<CapabilityMap[K]> {
    assertOpen();
    const { entry, handle, type: canonical } = await lookup(type, capability);
    await started(handle);
    // A plugin offering credentialRepository for its own access type names that access's consumer identity.
    const ownsIdentity = entry.document?.type[canonical]?.includes("credentialRepository") === true;
    return guardCapability(capability, handle.capability(canonical, capability), {
      pluginId: entry.id,
      maxBlobBytes: (await host()).settings.maxBlobBytes,
      credentialResolver,
      accessIdentity: ownsIdentity
        ? accessIdentityFrom(handle.capability(canonical, "credentialRepository"))
        : undefined,
    });
  }

  /** Created on the first call that has a target with a consumer identity. */
  function credentialResolver(): Promise<CredentialResolver> {
    resolver ??= host().then(({ settings }) =>
      createCredentialResolver({ manager: self, config: settings.config }),
    );
    return resolver;
  }

  /** `refresh` asks every plugin for its capabilities again, a timed-out one included (#10). */
  async function list(listOptions: { refresh?: boolean } = {}): Promise<PluginListEntry[]> {
    const { registry } = await withExternals(listOptions.refresh === true);
    // A configuration that breaks the plugin's configSchema is a config error before the plugin is used.
    for (const entry of registry.entries()) {
      if (entry.state === "ok") registry.handle(entry.id)?.checkConfig();
    }
    return registry.entries();
  }

  async function info(id: string): Promise<PluginListEntry> {
    const { registry } = await withExternals();
    const entry = registry.get(id);
    if (!entry) throw unknownPluginId(registry, id);
    return entry;
  }

  /** The started handle of plugin `id`, which must be usable. */
  async function usable(id: string): Promise<PluginHandle> {
    const { registry } = await host();
    // An in-process plugin's id and state do not depend on what discovery finds.
    const builtin = registry.get(id);
    const entry = builtin?.source === "builtin" ? builtin : await info(id);
    if (entry.state !== "ok") throw pluginUnusable(entry);
    return started(registry.handle(id) as PluginHandle);
  }

  async function connectionStatus(id: string): Promise<ConnectionStatus> {
    return (await usable(id)).connectionStatus();
  }

  async function testConnection(id: string, request: TestConnectionRequest): Promise<TestConnectionResult> {
    const handle = await usable(id);
    // The credentials a call to the spec's target would get (registry logins), never shown.
    const credentials = await (await credentialResolver()).resolveFor(request.spec);
    return handle.testConnection(request, credentials);
  }

  function runPluginAction(request: RunActionRequest): Promise<ActionRun> {
    assertOpen();
    return runAction(request, {
      entry: async (id) => {
        const { registry } = await host();
        const builtin = registry.get(id);
        const entry = builtin?.source === "builtin" ? builtin : await info(id);
        if (entry.state !== "ok") throw pluginUnusable(entry);
        return entry;
      },
      runner: async (id, type) => (await usable(id)).capability(type, "action"),
      routing: async (id) => eventSettingsOf((await host()).settings.config).plugins[id],
      credentialsFor: async (spec) => (await credentialResolver()).resolveFor(spec),
      serves: async (id, type, capabilities) => {
        for (const capability of capabilities) {
          const found = await lookup(type, capability).catch(() => undefined);
          if (found?.entry.id === id) return true;
        }
        return false;
      },
    });
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    uninstallHooks?.();
    await stopOrder.stopAll();
    await registration?.close();
    await remotes.close();
    if (socketDir) await (await socketDir).remove();
    await hostState().flush();
  }

  const self: PluginManager = {
    registerPlugin,
    getPlugin,
    list,
    info,
    conflicts: async () => (await withExternals()).registry.conflicts(),
    builtinsDecide: async () => (await host()).settings.builtinsDecide,
    pluginDirs: async () => [...(await host()).settings.dirs],
    connectionStatus,
    testConnection,
    runAction: runPluginAction,
    probePlugin: (path, timeoutMs) => runCapabilities(path, timeoutMs, env),
    close,
    logger,
    ...(registration
      ? { registration: { ready: registration.ready, instances: registration.instances } }
      : {}),
  };
  return self;
}
