// Answers "which credentials for this consumer identity?" for the whole host: the ocm config's consumers
// first (most specific match), then its credential repositories, then the credential repository of the
// identity's own type, the default source its technology has (ADR 0006). Every source is a
// credentialRepository plugin, so new stores arrive as plugins and the host names none of them.
import {
  isOcmError,
  type CapabilityProvider,
  type CredentialRepository,
  type Identity,
  type TypedSpec,
} from "../../../core/index.js";
import type { OcmConfig } from "../config/load-config.js";
import type { Logger } from "../log.js";
import { consumerIdentityOf, mapKey } from "./consumer-identity.js";
import { readCredentialConfig, type CredentialConsumer } from "./credential-config.js";
import { compareSpecificity, matchIdentity, type Specificity } from "./match-identity.js";

// A credential repository may itself need credentials; a chain deeper than this is a loop.
const MAX_DEPTH = 4;

export interface CredentialResolverOptions {
  /** Where credentialRepository and consumerIdentity plugins come from. */
  manager: CapabilityProvider & { logger?: Logger };
  /** The ocm config, as loadOcmConfig returns it. */
  config: OcmConfig;
  /**
   * Ask the credential repository of an identity's own type (`{type: <identity type>}`) when nothing in the
   * ocm config answers, if a plugin serves one. Default true.
   */
  useTypeDefaults?: boolean;
}

export interface CredentialResolver {
  /** Credentials for `identity`, or undefined when no source has any (anonymous access). Cached per identity. */
  resolve(identity: Identity): Promise<Record<string, string> | undefined>;
  /** The consumer identity of a repository or access spec (consumerIdentityOf), cached per spec. */
  identityOf(spec: TypedSpec): Promise<Identity | undefined>;
  /** Credentials for a repository or access spec through its consumer identity; undefined when it has none. */
  resolveFor(spec: TypedSpec): Promise<Record<string, string> | undefined>;
}

/** What a credential source answered, and where it says the answer came from. */
export interface SourceAnswer {
  credentials: Record<string, string>;
  source?: string;
}

/** Creates a resolver over the ocm config's credential entries and the types' default sources. */
export function createCredentialResolver(options: CredentialResolverOptions): CredentialResolver {
  const { manager } = options;
  const credentialConfig = readCredentialConfig(options.config);
  const cache = new Map<string, Promise<Record<string, string> | undefined>>();
  const identities = new Map<string, Promise<Identity | undefined>>();

  function resolve(identity: Identity): Promise<Record<string, string> | undefined> {
    return remember(cache, mapKey(identity), () => lookup(identity, [mapKey(identity)]));
  }

  function identityOf(spec: TypedSpec): Promise<Identity | undefined> {
    return remember(identities, mapKey(spec), () => consumerIdentityOf(manager, spec));
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
    if (options.useTypeDefaults === false) return undefined;
    return (await askTypeDefault(manager, identity, (spec) => askSource(spec, identity, chain)))?.answer
      .credentials;
  }

  async function ask(
    spec: TypedSpec,
    identity: Identity,
    chain: string[],
  ): Promise<Record<string, string> | undefined> {
    return (await askSource(spec, identity, chain))?.credentials;
  }

  async function askSource(
    spec: TypedSpec,
    identity: Identity,
    chain: string[],
  ): Promise<SourceAnswer | undefined> {
    const repository = await manager.getPlugin(spec.type, "credentialRepository");
    const access = await accessCredentials(repository, spec, chain);
    const { credentials, source } = await repository.resolve(
      { config: spec, identity },
      access ? { credentials: access } : undefined,
    );
    if (!credentials || Object.keys(credentials).length === 0) return undefined;
    manager.logger?.debug({ identity, source: spec.type }, "credentials resolved");
    return source === undefined ? { credentials } : { credentials, source };
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
    const key = mapKey(identity);
    if (chain.includes(key) || chain.length >= MAX_DEPTH) return undefined;
    return lookup(identity, [...chain, key]);
  }

  return {
    resolve,
    identityOf,
    async resolveFor(spec) {
      const identity = await identityOf(spec);
      return identity ? resolve(identity) : undefined;
    },
  };
}

/**
 * Asks the credential repository of the identity's own type with a bare `{type}` spec, if a plugin serves
 * one; undefined when none does or it has no answer. The spec it was asked with comes back for reports.
 */
export async function askTypeDefault(
  manager: CapabilityProvider,
  identity: Identity,
  ask: (spec: TypedSpec) => Promise<SourceAnswer | undefined>,
): Promise<{ spec: TypedSpec; answer: SourceAnswer } | undefined> {
  const type = identity["type"];
  if (!type) return undefined;
  const spec = { type };
  try {
    await manager.getPlugin(type, "credentialRepository");
  } catch (error) {
    // No plugin keeps default credentials for this consumer type: the lookup simply ends here.
    if (isOcmError(error) && error.code === "OCM_PLUGIN_NOT_FOUND") return undefined;
    throw error;
  }
  const answer = await ask(spec);
  return answer && { spec, answer };
}

/** Consumers with an identity matching `request`, most specific first (file order among equals), with their index. */
export function matchingConsumers(
  consumers: CredentialConsumer[],
  request: Identity,
): (CredentialConsumer & { index: number })[] {
  const matches: { consumer: CredentialConsumer & { index: number }; score: Specificity }[] = [];
  consumers.forEach((consumer, index) => {
    let best: Specificity | undefined;
    for (const pattern of consumer.identities) {
      const score = matchIdentity(pattern, request);
      if (score && (!best || compareSpecificity(score, best) > 0)) best = score;
    }
    if (best) matches.push({ consumer: { ...consumer, index }, score: best });
  });
  // Array.prototype.sort is stable, so equally specific consumers keep their file order.
  return matches.sort((a, b) => compareSpecificity(b.score, a.score)).map((m) => m.consumer);
}

/** The pending answer of `key`, started once; a failure is not remembered, so the next call tries again. */
function remember<T>(map: Map<string, Promise<T>>, key: string, start: () => Promise<T>): Promise<T> {
  let pending = map.get(key);
  if (!pending) {
    pending = start();
    map.set(key, pending);
    pending.catch(() => map.delete(key));
  }
  return pending;
}
