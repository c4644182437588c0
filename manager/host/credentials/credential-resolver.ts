// Answers "which credentials for this consumer identity?" for the whole host: the ocm config's
// consumers first (most specific match), then its credential repositories, then docker's own config
// file. Every source is a credentialRepository plugin, so new stores arrive as plugins.
import { stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import {
  isOcmError,
  type CapabilityProvider,
  type CredentialRepository,
  type Identity,
  type TypedSpec,
} from "../../../core/index.js";
import type { OcmConfig } from "../config/load-config.js";
import type { Logger } from "../log.js";
import { consumerIdentityOf } from "./consumer-identity.js";
import { readCredentialConfig, type CredentialConsumer } from "./credential-config.js";
import { compareSpecificity, matchIdentity, type Specificity } from "./match-identity.js";

/** The type the default docker config file is read with. */
export const DOCKER_CONFIG_TYPE = "DockerConfig/v1";

// A credential repository may itself need credentials; a chain deeper than this is a loop.
const MAX_DEPTH = 4;

export interface CredentialResolverOptions {
  /** Where credentialRepository plugins come from. */
  manager: CapabilityProvider & { logger?: Logger };
  /** The ocm config, as loadOcmConfig returns it. */
  config: OcmConfig;
  /** Environment for `$DOCKER_CONFIG`; defaults to the process's. */
  env?: Record<string, string | undefined>;
  /** The home directory holding `.docker/config.json`; defaults to the current user's. */
  home?: string;
  /** Read docker's default config file when nothing in the ocm config answers. Default true. */
  useDockerConfig?: boolean;
}

export interface CredentialResolver {
  /** Credentials for `identity`, or undefined when no source has any (anonymous access). Cached per identity. */
  resolve(identity: Identity): Promise<Record<string, string> | undefined>;
  /** Credentials for a repository or access spec, through consumerIdentityOf; undefined when it has no identity. */
  resolveFor(spec: TypedSpec): Promise<Record<string, string> | undefined>;
}

/** Creates a resolver over the ocm config's credential entries and docker's config file. */
export function createCredentialResolver(options: CredentialResolverOptions): CredentialResolver {
  const { manager } = options;
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const credentialConfig = readCredentialConfig(options.config);
  const cache = new Map<string, Promise<Record<string, string> | undefined>>();

  function resolve(identity: Identity): Promise<Record<string, string> | undefined> {
    const key = identityKey(identity);
    let pending = cache.get(key);
    if (!pending) {
      pending = lookup(identity, [key]);
      cache.set(key, pending);
      // A failure (a helper missing, a plugin down) is not remembered: the next call tries again.
      pending.catch(() => cache.delete(key));
    }
    return pending;
  }

  async function lookup(identity: Identity, chain: string[]): Promise<Record<string, string> | undefined> {
    for (const consumer of matchingConsumers(credentialConfig.consumers, identity)) {
      for (const spec of consumer.credentials) {
        const found = await ask(spec, identity, chain);
        if (found) return found;
      }
    }
    for (const repository of credentialConfig.repositories) {
      // OCM v1: a repository listed with propagateConsumerIdentity: false serves only explicit references.
      if (repository["propagateConsumerIdentity"] === false) continue;
      const found = await ask(repository, identity, chain);
      if (found) return found;
    }
    if (options.useDockerConfig === false) return undefined;
    return askDefaultDockerConfig(identity, chain);
  }

  async function ask(
    spec: TypedSpec,
    identity: Identity,
    chain: string[],
  ): Promise<Record<string, string> | undefined> {
    const repository = await manager.getPlugin(spec.type, "credentialRepository");
    const access = await accessCredentials(repository, spec, chain);
    const { credentials } = await repository.resolve(
      { config: spec, identity },
      access ? { credentials: access } : undefined,
    );
    if (!credentials || Object.keys(credentials).length === 0) return undefined;
    manager.logger?.debug({ identity, source: spec.type }, "credentials resolved");
    return credentials;
  }

  // A credential repository (a vault, say) may need credentials of its own, found by its consumer
  // identity. Such nested lookups bypass the cache: two lookups waiting on each other's entry would hang.
  async function accessCredentials(
    repository: CredentialRepository,
    spec: TypedSpec,
    chain: string[],
  ): Promise<Record<string, string> | undefined> {
    const { identity } = await repository.consumerIdentity({ config: spec });
    if (!identity) return undefined;
    const key = identityKey(identity);
    if (chain.includes(key) || chain.length >= MAX_DEPTH) return undefined;
    return lookup(identity, [...chain, key]);
  }

  async function askDefaultDockerConfig(
    identity: Identity,
    chain: string[],
  ): Promise<Record<string, string> | undefined> {
    const file = defaultDockerConfigFile(env, home);
    const alreadyListed = credentialConfig.repositories.some(
      (r) => typeof r["dockerConfigFile"] === "string" && expandHome(r["dockerConfigFile"], home) === file,
    );
    if (alreadyListed || !(await isFile(file))) return undefined;
    try {
      return await ask({ type: DOCKER_CONFIG_TYPE, dockerConfigFile: file }, identity, chain);
    } catch (error) {
      // Without a DockerConfig plugin the implicit source simply is not there.
      if (isOcmError(error) && error.code === "OCM_PLUGIN_NOT_FOUND") return undefined;
      throw error;
    }
  }

  return {
    resolve,
    async resolveFor(spec) {
      const identity = consumerIdentityOf(spec);
      return identity ? resolve(identity) : undefined;
    },
  };
}

/** Consumers with an identity matching `request`, most specific first (file order among equals). */
function matchingConsumers(consumers: CredentialConsumer[], request: Identity): CredentialConsumer[] {
  const matches: { consumer: CredentialConsumer; score: Specificity }[] = [];
  for (const consumer of consumers) {
    let best: Specificity | undefined;
    for (const pattern of consumer.identities) {
      const score = matchIdentity(pattern, request);
      if (score && (!best || compareSpecificity(score, best) > 0)) best = score;
    }
    if (best) matches.push({ consumer, score: best });
  }
  // Array.prototype.sort is stable, so equally specific consumers keep their file order.
  return matches.sort((a, b) => compareSpecificity(b.score, a.score)).map((m) => m.consumer);
}

/** Docker's config file: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function defaultDockerConfigFile(env: Record<string, string | undefined>, home: string): string {
  const dir = env["DOCKER_CONFIG"];
  return dir ? join(dir, "config.json") : join(home, ".docker", "config.json");
}

function expandHome(path: string, home: string): string {
  return path === "~" || path.startsWith("~/") ? join(home, path.slice(2)) : path;
}

function identityKey(identity: Identity): string {
  return JSON.stringify(Object.entries(identity).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
