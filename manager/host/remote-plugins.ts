// The remote plugins of one manager (ADR 0009): their instance sets (one per plugin id, kept across a
// refresh so a running call keeps its pools), their discovery and their handles, and where each one's
// token comes from. A token is read when first needed and never logged or put on a command line.
import { OcmError } from "../../core/index.js";
import type { RemoteSettings } from "./config/remote-settings.js";
import type { CredentialResolver } from "./credentials/credential-resolver.js";
import { discoverRemotes, remoteCacheFile } from "./discover/discover-remotes.js";
import type { DiscoveredPlugin } from "./discover/discovered-plugin.js";
import type { PluginHandle } from "./handle/plugin-handle.js";
import { createRemoteHandle } from "./handle/remote-handle.js";
import { createRemoteInstances, type RemoteInstances } from "./handle/remote-instances.js";
import { DEFAULT_CALL_TIMEOUT_MS } from "./process/plugin-process.js";
import type { RegisteredInstance } from "./registration-server/registration-server.js";
import type { HostSettings } from "./start/host-settings.js";

/** The consumer identity type a remote plugin's token is stored under (`tokenFrom: credentials`). */
export const REMOTE_TOKEN_CONSUMER_TYPE = "OCMPluginService";

export interface RemotePlugins {
  /** Asks every configured remote plugin's instances and returns them as discovery results. */
  discover(settings: HostSettings, refresh: boolean): Promise<DiscoveredPlugin[]>;
  /** The handle of remote plugin `id`, discovered before. */
  handle(id: string, settings: HostSettings): PluginHandle;
  /** Ends this host's connections to every remote plugin. */
  close(): Promise<void>;
}

export interface RemotePluginsContext {
  env: Record<string, string | undefined>;
  /** Call bound set for the whole manager (PluginManagerOptions.callTimeoutMs). */
  callTimeoutMs: number | undefined;
  /** A credential resolver that consults the ocm config's consumers only (never discovery). */
  credentials: () => Promise<Pick<CredentialResolver, "resolve">>;
  /** Plugin services that registered themselves (issue #17 item 3), called with the shared token. */
  registered?: { instances: () => RegisteredInstance[]; token: string } | undefined;
}

/** Creates the remote plugin set of one manager. */
export function createRemotePlugins(context: RemotePluginsContext): RemotePlugins {
  const sets = new Map<string, { key: string; settings: RemoteSettings; instances: RemoteInstances }>();

  function remotesOf(settings: HostSettings) {
    const plugins = settings.config.plugin.plugins ?? {};
    return Object.entries(plugins).flatMap(([id, single]) => {
      const remote = single.remote;
      if (!remote) return [];
      const key = JSON.stringify(remote);
      let set = sets.get(id);
      if (!set || set.key !== key) {
        const callTimeoutMs =
          context.callTimeoutMs ?? single.callTimeoutMs ?? settings.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
        const instances = createRemoteInstances({
          id,
          settings: remote,
          token: () => tokenOf(id, remote),
          callTimeoutMs,
        });
        set = { key, settings: remote, instances };
        sets.set(id, set);
      }
      return [{ id, settings: set.settings, instances: set.instances }];
    });
  }

  /** Registered plugins by id, each with the document it posted; one the config names is the config's. */
  function registeredOf(settings: HostSettings) {
    const registered = context.registered;
    if (!registered) return [];
    const byId = new Map<string, RegisteredInstance[]>();
    for (const instance of registered.instances()) {
      byId.set(instance.id, [...(byId.get(instance.id) ?? []), instance]);
    }
    return [...byId].flatMap(([id, instances]) => {
      if (settings.config.plugin.plugins?.[id]?.remote) return [];
      const remote: RemoteSettings = {
        urls: instances.map((instance) => instance.url).sort(),
        forwardCredentials: false,
        failureThreshold: 1,
        retries: 2,
      };
      const key = JSON.stringify(remote);
      let set = sets.get(id);
      if (!set || set.key !== key) {
        const instanceSet = createRemoteInstances({
          id,
          settings: remote,
          token: () => Promise.resolve(registered.token),
          callTimeoutMs: context.callTimeoutMs ?? settings.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
        });
        set = { key, settings: remote, instances: instanceSet };
        sets.set(id, set);
      }
      const latest = instances.reduce((a, b) => (b.lastSeen > a.lastSeen ? b : a));
      const found: DiscoveredPlugin = {
        id,
        path: remote.urls.join(" "),
        dir: "",
        size: 0,
        mtimeMs: 0,
        remote: true,
        state: "ok",
        document: latest.document,
        fromCache: false,
      };
      return [found];
    });
  }

  async function tokenOf(id: string, remote: RemoteSettings): Promise<string | undefined> {
    const source = remote.token;
    if (source === undefined) return undefined;
    let token: string | undefined;
    if ("env" in source) {
      token = context.env[source.env];
    } else {
      const found = await (await context.credentials()).resolve({ type: REMOTE_TOKEN_CONSUMER_TYPE, id });
      token = found?.["token"];
    }
    if (token) return token;
    throw new OcmError({
      code: "OCM_PLUGIN_REMOTE_TOKEN_MISSING",
      message:
        "env" in source
          ? `remote plugin ${id}: the environment variable ${source.env} that holds its token is not set`
          : `remote plugin ${id}: no credentials with a token property for consumer {type: ${REMOTE_TOKEN_CONSUMER_TYPE}, id: ${id}}`,
      hint:
        "env" in source
          ? `Export ${source.env} with the token the plugin service was started with.`
          : `Add a consumer {identity: {type: ${REMOTE_TOKEN_CONSUMER_TYPE}, id: ${id}}, credentials: [{type: Credentials/v1, properties: {token: …}}]} to the credentials config.`,
      details: { plugin: id },
    });
  }

  return {
    async discover(settings, refresh) {
      const configured = await discoverRemotes(remotesOf(settings), {
        cacheFile: settings.cacheFile ? remoteCacheFile(settings.cacheFile) : undefined,
        refresh,
      });
      return [...configured, ...registeredOf(settings)];
    },
    handle(id, settings) {
      const set = sets.get(id);
      if (!set)
        throw new OcmError({ code: "OCM_INTERNAL", message: `remote plugin ${id} was not discovered` });
      return createRemoteHandle({
        id,
        settings: set.settings,
        instances: set.instances,
        maxResponseBytes: settings.maxResponseBytes,
      });
    },
    async close() {
      await Promise.all([...sets.values()].map((set) => set.instances.close()));
    },
  };
}
