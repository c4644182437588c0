// `ocm plugin status` as data: the plugin servers every ocm process of this user runs, and every plugin that
// cannot be used (config error, broken), whether a running ocm process found it so or this one does.
import type { OcmError } from "../../../core/index.js";
import type { PluginListEntry, PluginManager } from "../plugin-manager.js";
import type { RemoteInstanceState } from "../handle/remote-instances.js";
import { readInstances, type PluginInstance } from "./read-instances.js";

/** A plugin that cannot be used, and why. */
export interface FailedPlugin {
  plugin: string;
  state: "config error" | "broken";
  reason: string;
  code?: string;
  /** The ocm process that found it so; absent when this process did (its config, or discovery). */
  ownerPid?: number;
}

/** A remote plugin (ADR 0009): whether any instance answers, how many do, and each one. */
export interface RemotePluginStatus {
  plugin: string;
  reachable: boolean;
  activeInstances: number;
  instances: RemoteInstanceState[];
}

export interface PluginStatus {
  instances: PluginInstance[];
  failed: FailedPlugin[];
  /** Every remote plugin of the config, as its health checks found it just now. */
  remotes: RemotePluginStatus[];
  /** Why other processes' plugins cannot be shown, when the runtime directory is unusable. */
  problem?: OcmError;
}

/** What `ocm plugin status` shows. */
export async function pluginStatus(manager: Pick<PluginManager, "list">): Promise<PluginStatus> {
  const [recorded, entries] = await Promise.all([readInstances(), manager.list()]);
  const failed: FailedPlugin[] = entries.flatMap((entry) => failedOf(entry));
  for (const record of recorded.failed) {
    if (failed.some((f) => f.plugin === record.id && f.state === record.state)) continue;
    failed.push({
      plugin: record.id,
      state: record.state,
      reason: record.message,
      ...(record.code ? { code: record.code } : {}),
      ownerPid: record.owner.pid,
    });
  }
  failed.sort((a, b) => a.plugin.localeCompare(b.plugin));
  const remotes = entries.flatMap((entry) => {
    const remote = entry.runtime?.remote;
    if (entry.source !== "remote" || !remote) return [];
    return [
      {
        plugin: entry.id,
        reachable: remote.active > 0,
        activeInstances: remote.active,
        instances: remote.instances,
      },
    ];
  });
  return {
    instances: recorded.instances,
    failed,
    remotes,
    ...(recorded.problem ? { problem: recorded.problem } : {}),
  };
}

/** A list entry's failed state: a config error, a broken runtime, or a plugin discovery found broken. */
function failedOf(entry: PluginListEntry): FailedPlugin[] {
  const runtime = entry.runtime;
  // A remote plugin that does not answer is shown with its instances, not as failed: it may come back.
  if (entry.source === "remote" && entry.state === "ok") return [];
  if (runtime?.state === "config error" || runtime?.state === "broken") {
    return [
      {
        plugin: entry.id,
        state: runtime.state,
        reason: runtime.reason ?? "unknown reason",
        ...(runtime.code ? { code: runtime.code } : {}),
      },
    ];
  }
  if (entry.state === "broken") {
    return [
      {
        plugin: entry.id,
        state: "broken",
        reason: entry.error?.message ?? "unknown reason",
        ...(entry.error?.code ? { code: entry.error.code } : {}),
      },
    ];
  }
  return [];
}
