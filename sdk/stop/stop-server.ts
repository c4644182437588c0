// Graceful stop for every reason (signal, shutdown route, idle, parent gone): stop accepting, let calls in
// flight finish within a grace period, run the plugin's close hook, remove the socket file, exit 0.
import { lstatSync, unlinkSync } from "node:fs";
import type { Server } from "node:http";
import type { PluginDefinition } from "../../core/plugin-definition.js";
import { PLUGIN_EXIT } from "../../core/protocol/exit-codes.js";
import { log } from "../log.js";
import type { ListenTarget } from "../start/read-config.js";
import type { Activity } from "../watch/activity.js";

/** How long calls in flight may take to finish once a stop was asked for. */
export const STOP_GRACE_MS = 5_000;

export interface Stopper {
  /** True once a stop was asked for. */
  readonly stopping: boolean;
  /** Stops gracefully; later calls while a stop runs return the same promise. */
  stop(reason: string): Promise<never>;
  /** Stops at once, cutting calls in flight (a second signal). */
  stopNow(reason: string): never;
}

export interface StopperOptions {
  server: Server;
  activity: Activity;
  definition: PluginDefinition;
  target: ListenTarget;
  graceMs?: number;
}

/** Creates the single stop path of a plugin server. */
export function createStopper(options: StopperOptions): Stopper {
  const { server, activity, definition, target } = options;
  const graceMs = options.graceMs ?? STOP_GRACE_MS;
  let pending: Promise<never> | undefined;

  // Only a socket this process bound is removed; before listen the file may belong to someone else.
  const removeSocket = (bound: boolean) => {
    if (!bound || target.type !== "unix") return;
    try {
      if (lstatSync(target.path).isSocket()) unlinkSync(target.path);
    } catch {
      // Already gone.
    }
  };

  const finish = async (reason: string): Promise<never> => {
    log.info("stopping", { reason, inFlight: activity.inFlight });
    const bound = server.listening;
    activity.stop();
    server.close();
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    const drained = await Promise.race([activity.drained().then(() => true), graceOver]);
    clearTimeout(timer);
    if (!drained)
      log.warn("calls still in flight after the grace period; cutting them", { inFlight: activity.inFlight });
    server.closeAllConnections();
    try {
      await definition.close?.();
    } catch (error) {
      log.error("close hook failed", { err: error });
    }
    removeSocket(bound);
    log.info("stopped", { reason });
    process.exit(PLUGIN_EXIT.OK);
  };

  return {
    get stopping() {
      return pending !== undefined;
    },
    stop(reason) {
      pending ??= finish(reason);
      return pending;
    },
    stopNow(reason) {
      log.warn("stopping at once", { reason });
      const bound = server.listening;
      server.closeAllConnections();
      removeSocket(bound);
      process.exit(PLUGIN_EXIT.OK);
    },
  };
}
