// Started plugins in the order they started, so that the manager stops them in reverse: a plugin started
// later may depend on one started before it, never the other way round.
import type { PluginHandle } from "../handle/plugin-handle.js";

export interface StopOrder {
  /** Records a started plugin; one already recorded keeps its place. */
  add(handle: PluginHandle): void;
  /** Stops every recorded plugin, the last started first. */
  stopAll(): Promise<void>;
  /** Synchronous best effort for the host's `exit`. */
  killAllSync(): void;
}

export function createStopOrder(): StopOrder {
  const started: PluginHandle[] = [];
  return {
    add(handle) {
      if (!started.includes(handle)) started.push(handle);
    },
    async stopAll() {
      for (const handle of [...started].reverse()) await handle.stop();
    },
    killAllSync() {
      for (const handle of started) handle.killSync();
    },
  };
}
