// Discovery of remote plugins (ADR 0009): every instance's health is asked (that is its reachability), and
// the capabilities document comes from `GET /v1/capabilities` only when the cache has none for these URLs
// or the plugin reports another version than the cached document's. Unreachable with a cached document,
// the plugin stays usable on paper and its calls fail fast (OCM_PLUGIN_REMOTE_UNAVAILABLE).
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  CAPABILITIES_ROUTE,
  OcmError,
  PROTOCOL_VERSION,
  capabilitiesDocumentSchema,
  isProtocolCompatible,
  toOcmError,
  type CapabilitiesDocument,
} from "../../../core/index.js";
import type { RemoteSettings } from "../config/remote-settings.js";
import type { RemoteInstances } from "../handle/remote-instances.js";
import type { DiscoveredPlugin } from "./discovered-plugin.js";

interface CachedRemote {
  /** The URLs the document was fetched for: another set asks again. */
  urls: string[];
  version?: string;
  document: CapabilitiesDocument;
}

interface RemoteCacheFile {
  protocol: string;
  entries: Record<string, CachedRemote>;
}

/** The cache of remote documents lives beside the discovery cache. */
export function remoteCacheFile(discoveryCacheFile: string): string {
  return join(dirname(discoveryCacheFile), "remote-plugins.json");
}

export interface RemotePlugin {
  id: string;
  settings: RemoteSettings;
  instances: RemoteInstances;
}

/** Discovers the remote plugins of the config, in the order given. */
export async function discoverRemotes(
  remotes: readonly RemotePlugin[],
  options: { cacheFile?: string | undefined; refresh?: boolean },
): Promise<DiscoveredPlugin[]> {
  if (remotes.length === 0) return [];
  const cache = options.cacheFile ? await readRemoteCache(options.cacheFile) : {};
  let changed = false;
  const found = await Promise.all(
    remotes.map(async (remote): Promise<DiscoveredPlugin> => {
      const base = {
        id: remote.id,
        path: remote.settings.urls.join(" "),
        dir: "",
        size: 0,
        mtimeMs: 0,
        remote: true,
      };
      try {
        const states = await remote.instances.probeAll();
        const version = states.find((s) => s.up && s.version !== undefined)?.version;
        const cached = cache[remote.id];
        const sameUrls = cached?.urls.join(" ") === base.path;
        const reachable = states.some((s) => s.up && s.code === undefined);
        if (cached && sameUrls && !options.refresh && (!reachable || cached.version === version)) {
          return { ...base, state: "ok", document: cached.document, fromCache: true };
        }
        const document = checkDocument(remote.id, await remote.instances.getJson(CAPABILITIES_ROUTE));
        cache[remote.id] = {
          urls: [...remote.settings.urls],
          document,
          ...(version === undefined ? {} : { version }),
        };
        changed = true;
        return { ...base, state: "ok", document, fromCache: false };
      } catch (error) {
        // Described before: its calls report what is wrong (a missing token, a refused one).
        const cached = cache[remote.id];
        if (cached && cached.urls.join(" ") === base.path) {
          return { ...base, state: "ok", document: cached.document, fromCache: true };
        }
        return { ...base, state: "broken", error: toOcmError(error).toJSON(), fromCache: false };
      }
    }),
  );
  if (changed && options.cacheFile) await writeRemoteCache(options.cacheFile, cache);
  return found;
}

function checkDocument(id: string, json: unknown): CapabilitiesDocument {
  const parsed = capabilitiesDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? issue.path.map(String).join(".") : "(root)";
    throw new OcmError({
      code: "OCM_DISCOVERY_INVALID_CAPABILITIES",
      message: `remote plugin ${id}: capabilities document: field ${field}: ${issue?.message ?? "invalid"}`,
      hint: "Compare GET /v1/capabilities with schemas/capabilities.schema.json.",
      details: { plugin: id, field },
    });
  }
  const protocol = parsed.data.protocol ?? "1.0.0";
  if (!isProtocolCompatible(protocol)) {
    throw new OcmError({
      code: "OCM_DISCOVERY_PROTOCOL_MISMATCH",
      message: `remote plugin ${id} speaks plugin protocol ${protocol}, but this ocm-ts speaks ${PROTOCOL_VERSION}`,
      hint: `Run a version of the service built for protocol ${PROTOCOL_VERSION.split(".")[0]}.x.`,
      details: { plugin: protocol, host: PROTOCOL_VERSION },
    });
  }
  return parsed.data;
}

async function readRemoteCache(file: string): Promise<Record<string, CachedRemote>> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as Partial<RemoteCacheFile>;
    if (parsed.protocol !== PROTOCOL_VERSION || typeof parsed.entries !== "object" || parsed.entries === null)
      return {};
    return parsed.entries;
  } catch {
    return {};
  }
}

/** Written through a temp file and rename; a failure only costs a fetch next time. */
async function writeRemoteCache(file: string, entries: Record<string, CachedRemote>): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(temp, JSON.stringify({ protocol: PROTOCOL_VERSION, entries }), { mode: 0o600 });
    await rename(temp, file);
  } catch {
    // Read-only home or a full disk: the next run asks the plugin again.
  }
}
