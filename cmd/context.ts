// What every command gets from the global options: a plugin manager and where to write.
import type { Writable } from "node:stream";
import type { EventPublisher } from "../core/index.js";
import { createPluginManager, type LogLevel, type PluginManager } from "../index.js";
import { createEventSession, type EventSession } from "./events.js";

export interface GlobalOptions {
  pluginDir?: string[];
  logLevel?: LogLevel;
  config?: string;
}

export interface CommandContext {
  stdout: Writable;
  stderr: Writable;
  /** The manager, created on first use and closed when the command ends. */
  manager(): PluginManager;
  /** Where operations publish their events; delivered when the command ends (cmd/events.ts). */
  events(): EventPublisher;
  /** The config file given with --config, if any. */
  configFile(): string | undefined;
}

export function createCommandContext(
  globals: () => GlobalOptions,
  io: { stdout: Writable; stderr: Writable },
): CommandContext & { close(): Promise<void> } {
  let manager: PluginManager | undefined;
  let events: EventSession | undefined;
  return {
    ...io,
    manager() {
      if (!manager) {
        const options = globals();
        manager = createPluginManager({
          ...(options.pluginDir?.length ? { pluginDirs: options.pluginDir } : {}),
          ...(options.logLevel ? { logLevel: options.logLevel } : {}),
          ...(options.config ? { configFile: options.config } : {}),
        });
      }
      return manager;
    },
    events() {
      events ??= createEventSession(globals().config);
      return events.publisher;
    },
    configFile: () => globals().config,
    async close() {
      // Pending events are delivered by every command, not only by the one that recorded them.
      await (events ?? createEventSession(globals().config)).finish(() => this.manager(), io.stderr);
      await manager?.close();
    },
  };
}
