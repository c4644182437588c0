// What a plugin manager can be told: where plugins live, which side wins, the bounds of every start and
// call, and the environment it reads and hands on to plugin processes.
import type { RegistrationOptions } from "./registration-server/registration-server.js";
import type { LogLevel, Logger } from "./log.js";
import type { PluginRegistration } from "./registration.js";

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
  /**
   * Accept registrations of plugin services (issue #17 item 3): listen for them at once, list each
   * registered plugin as a remote plugin, drop an instance after missed heartbeats. `token` is shared: a
   * service sends it to register, and the manager sends it when it calls the service.
   */
  registration?: RegistrationOptions;
}
