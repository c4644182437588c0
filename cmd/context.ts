// What every command gets from the global options: a plugin manager and where to write.
import type { Writable } from "node:stream";
import { createPluginManager, type LogLevel, type PluginManager } from "../index.js";

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
}

export function createCommandContext(
  globals: () => GlobalOptions,
  io: { stdout: Writable; stderr: Writable },
): CommandContext & { close(): Promise<void> } {
  let manager: PluginManager | undefined;
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
    async close() {
      await manager?.close();
    },
  };
}
