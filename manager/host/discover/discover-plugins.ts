// Finds plugins: every executable regular file in the plugin directories, asked for its capabilities in
// parallel (or answered from the cache when the file is unchanged). Broken files are recorded, not fatal.
import { constants } from "node:fs";
import { access, readdir, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename, join } from "node:path";
import { isPluginFileName, pluginIdOf } from "../../plugin-store/plugin-files.js";
import { readPluginRecord } from "../../plugin-store/plugin-record.js";
import type { OcmErrorData } from "../../../core/index.js";
import type { EnvOverlay } from "../process/child-env.js";
import type { DiscoveredPlugin } from "./discovered-plugin.js";
import { readDiscoveryCache, writeDiscoveryCache, type CachedResult } from "./discovery-cache.js";
import { runCapabilities, type CapabilitiesResult } from "./run-capabilities.js";

export { defaultCacheFile } from "./discovery-cache.js";

export interface DiscoverOptions {
  /** Plugin directories in precedence order; missing ones are skipped. */
  dirs: string[];
  /** Discovery cache file; without it every plugin is asked. */
  cacheFile?: string;
  /** Bound on each `capabilities` run (ms). Default 10 s. */
  timeoutMs?: number;
  /** How long a timed-out plugin is not asked again while its file is unchanged (ms). Default 10 min. */
  timeoutBackoffMs?: number;
  /** Ask every plugin again, ignoring the cache (`ocm plugin list --refresh`). */
  refresh?: boolean;
  /** Overlaid on the host's environment for each `capabilities` run. */
  env?: EnvOverlay;
}

export interface DiscoveryResult {
  /** In precedence order: directory order, then file name order. */
  plugins: DiscoveredPlugin[];
  /** How many `capabilities` processes were spawned (0 when everything came from the cache). */
  spawned: number;
}

interface Candidate {
  id: string;
  path: string;
  dir: string;
  size: number;
  mtimeMs: number;
  ino: number;
  executable: boolean;
}

/** The default back-off of a plugin whose `capabilities` timed out. */
export const TIMEOUT_BACKOFF_MS = 10 * 60_000;

async function listCandidates(dir: string): Promise<Candidate[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return [];
  }
  const found = await Promise.all(
    names.filter(isPluginFileName).map(async (name): Promise<Candidate | undefined> => {
      const path = join(dir, name);
      try {
        const info = await stat(path);
        if (!info.isFile()) return undefined;
        const executable = await access(path, constants.X_OK).then(
          () => true,
          () => false,
        );
        const { size, mtimeMs, ino } = info;
        return { id: pluginIdOf(name), path, dir, size, mtimeMs, ino, executable };
      } catch {
        return undefined;
      }
    }),
  );
  return found.filter((c): c is Candidate => c !== undefined);
}

/**
 * How many `capabilities` runs discovery starts at once. A run spends most of its time starting a process
 * (exec, loading, page faults), not on a core, so 20 plugins on 2 cores were found fastest all at once
 * (`npm run bench`, ADR 0005); the bound grows with the cores and keeps a very full plugin directory from
 * starting hundreds of processes together.
 */
function capabilitiesRunsAtOnce(): number {
  return Math.min(64, availableParallelism() * 10);
}

/** Runs `tasks` with at most `limit` in flight, keeping result order. */
async function mapLimited<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}

/** Discovers the plugins in `dirs`. */
export async function discoverPlugins(options: DiscoverOptions): Promise<DiscoveryResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const backoffMs = options.timeoutBackoffMs ?? TIMEOUT_BACKOFF_MS;
  const candidates = (await Promise.all(options.dirs.map(listCandidates))).flat();
  const cache = options.cacheFile ? await readDiscoveryCache(options.cacheFile) : {};
  const nextCache: Record<string, CachedResult> = {};
  let spawned = 0;

  const plugins = await mapLimited(candidates, capabilitiesRunsAtOnce(), async (candidate) => {
    const cached = options.refresh ? undefined : cache[candidate.path];
    let result: CapabilitiesResult;
    let fromCache = false;
    let retryAt: number | undefined;
    if (!candidate.executable) {
      result = {
        state: "broken",
        cacheable: false,
        error: {
          code: "OCM_DISCOVERY_NOT_EXECUTABLE",
          message: `${candidate.path} is not executable`,
          hint: `Run chmod +x ${candidate.path}, or remove it from the plugin directory.`,
        },
      };
    } else if (cached && isFresh(cached, candidate)) {
      result = { ...cached, cacheable: true };
      retryAt = cached.retryAt;
      fromCache = true;
    } else {
      spawned++;
      result = await runCapabilities(candidate.path, timeoutMs, options.env);
      if (result.error?.code === "OCM_DISCOVERY_TIMEOUT") {
        retryAt = Date.now() + backoffMs;
        result = { ...result, error: withRetry(result.error, retryAt) };
      }
    }
    if (result.cacheable || retryAt !== undefined) {
      nextCache[candidate.path] = {
        size: candidate.size,
        mtimeMs: candidate.mtimeMs,
        ino: candidate.ino,
        ...(retryAt === undefined ? {} : { retryAt }),
        state: result.state,
        ...(result.document ? { document: result.document } : {}),
        ...(result.error ? { error: result.error } : {}),
        ...(result.stderrTail ? { stderrTail: result.stderrTail } : {}),
      };
    }
    const record = await readPluginRecord(candidate.dir, candidate.id);
    const ours = record?.file === basename(candidate.path);
    const plugin: DiscoveredPlugin = {
      ...(ours && record.provenance ? { provenance: record.provenance } : {}),
      ...(ours && record.disabled ? { disabled: true } : {}),
      id: candidate.id,
      path: candidate.path,
      dir: candidate.dir,
      state: result.state,
      size: candidate.size,
      mtimeMs: candidate.mtimeMs,
      fromCache,
      ...(retryAt === undefined ? {} : { retryAt }),
      ...(result.document ? { document: result.document } : {}),
      ...(result.error ? { error: result.error } : {}),
      ...(result.stderrTail ? { stderrTail: result.stderrTail } : {}),
    };
    return plugin;
  });

  markDuplicateIds(plugins);
  if (options.cacheFile && (spawned > 0 || Object.keys(cache).length !== Object.keys(nextCache).length)) {
    await writeDiscoveryCache(options.cacheFile, nextCache);
  }
  return { plugins, spawned };
}

/** The cached answer still holds: same file (size, mtime, inode) and, for a timeout, the back-off not over. */
function isFresh(cached: CachedResult, candidate: Candidate): boolean {
  if (cached.size !== candidate.size || cached.mtimeMs !== candidate.mtimeMs) return false;
  if (cached.ino !== undefined && cached.ino !== candidate.ino) return false;
  return cached.retryAt === undefined || Date.now() < cached.retryAt;
}

/** A timeout's error says when the plugin is asked again, so `ocm plugin list` can show it. */
function withRetry(error: OcmErrorData, retryAt: number): OcmErrorData {
  const when = new Date(retryAt).toISOString();
  return {
    ...error,
    message: `${error.message}; not asked again until ${when} unless the file changes`,
    hint: `${error.hint ?? "Fix the plugin."} \`ocm plugin list --refresh\` asks it again now.`,
    details: { ...error.details, retryAt: when },
  };
}

/** A later file with an id already taken (e.g. `oci` and `oci.exe`) is broken, naming the first. */
function markDuplicateIds(plugins: DiscoveredPlugin[]): void {
  const seen = new Map<string, string>();
  for (const plugin of plugins) {
    const first = seen.get(plugin.id);
    if (first === undefined) {
      seen.set(plugin.id, plugin.path);
      continue;
    }
    plugin.state = "broken";
    delete plugin.document;
    plugin.error = {
      code: "OCM_PLUGIN_CONFLICT",
      message: `${plugin.path} has the id ${plugin.id}, already used by ${first}`,
      hint: "Rename or remove one of the two files; the one in the earlier plugin directory is used.",
    };
  }
}

export { isPluginFileName, pluginIdOf };
