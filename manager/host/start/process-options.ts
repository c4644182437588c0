// How one external plugin's process is started: the manager's settings, overridden for this plugin by the
// config file's `plugins.<id>` and by the library options, which win over both.
import type { Logger } from "../log.js";
import type { PluginManagerOptions } from "../plugin-manager-options.js";
import type { PluginProcessOptions } from "../process/plugin-process.js";
import type { HostSettings } from "./host-settings.js";
import { settingsOf } from "../config/per-plugin.js";

export interface ProcessContext {
  options: PluginManagerOptions;
  settings: HostSettings;
  socketDir: string;
  logger: Logger;
  /** Overlaid on the host's environment for the plugin. */
  env: Record<string, string | undefined>;
  /** The plugin's own configuration, already checked against its configSchema. */
  pluginConfig: { config: unknown } | undefined;
}

/** The options of plugin `id`'s process, found at `path`. */
export function processOptionsFor(id: string, path: string, context: ProcessContext): PluginProcessOptions {
  const { options, settings } = context;
  const single = settingsOf(settings.config.plugin, id);
  const startMs = options.startTimeoutMs ?? single.startTimeoutMs ?? settings.startTimeoutMs;
  const callMs = options.callTimeoutMs ?? single.callTimeoutMs ?? settings.callTimeoutMs;
  return {
    id,
    path,
    socketDir: context.socketDir,
    transport: options.transport ?? "auto",
    idleTimeoutMs: options.idleTimeoutMs ?? single.idleTimeoutMs ?? settings.idleTimeoutMs,
    ...(startMs === undefined ? {} : { startTimeoutMs: startMs }),
    ...(callMs === undefined ? {} : { callTimeoutMs: callMs }),
    logger: context.logger,
    logLevel: context.logger.level,
    ...(context.pluginConfig ? { pluginConfig: context.pluginConfig.config } : {}),
    env: context.env,
  };
}
