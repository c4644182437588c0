// The discovery cache: `capabilities` results keyed by path, size, mtime and inode, so an unchanged plugin
// is never spawned for discovery; a timeout is kept until `retryAt`, so one hanging plugin does not cost
// every command its timeout (#10). Written through a temp file and rename; a damaged cache is ignored.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { CapabilitiesDocument, OcmErrorData } from "../../../core/index.js";
import { PROTOCOL_VERSION } from "../../../core/index.js";

export interface CachedResult {
  size: number;
  mtimeMs: number;
  /** Inode number: a file replaced by another with the same size and mtime is asked again. */
  ino?: number;
  /** For a timeout: when (epoch ms) to ask the plugin again, unless its file changes first. */
  retryAt?: number;
  state: "ok" | "broken";
  document?: CapabilitiesDocument;
  error?: OcmErrorData;
  stderrTail?: string;
}

interface CacheFile {
  /** The host's protocol version: a host upgrade re-checks every plugin. */
  protocol: string;
  entries: Record<string, CachedResult>;
}

/** `$XDG_CACHE_HOME/ocm/plugin-discovery.json`, else `~/.cache/ocm/plugin-discovery.json`. */
export function defaultCacheFile(env: Record<string, string | undefined>, home: string): string {
  const base = env["XDG_CACHE_HOME"] || join(home, ".cache");
  return join(base, "ocm", "plugin-discovery.json");
}

/** Reads the cache; a missing, unreadable or outdated file is an empty cache. */
export async function readDiscoveryCache(file: string): Promise<Record<string, CachedResult>> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as Partial<CacheFile>;
    if (parsed.protocol !== PROTOCOL_VERSION || typeof parsed.entries !== "object" || parsed.entries === null)
      return {};
    return parsed.entries;
  } catch {
    return {};
  }
}

/** Writes the cache atomically; failures are ignored (the cache is an optimisation). */
export async function writeDiscoveryCache(
  file: string,
  entries: Record<string, CachedResult>,
): Promise<void> {
  const body: CacheFile = { protocol: PROTOCOL_VERSION, entries };
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(temp, JSON.stringify(body), { mode: 0o600 });
    await rename(temp, file);
  } catch {
    // Read-only home or a full disk: discovery still works, only slower.
  }
}
