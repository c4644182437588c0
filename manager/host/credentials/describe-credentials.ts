// `ocm get credentials`: which source would answer a consumer identity, in the resolver's order (the ocm
// config's consumers, most specific first, then its credential repositories, then the default source of
// the identity's type), and with which properties, secrets masked. It asks the same plugins the resolver
// asks; where an answer came from (a file, a helper) is the plugin's own `source` text.
import { homedir } from "node:os";
import type { CapabilityProvider, Identity, TypedSpec } from "../../../core/index.js";
import { loadOcmConfig } from "../config/load-config.js";
import { readCredentialConfig } from "./credential-config.js";
import {
  askTypeDefault,
  createCredentialResolver,
  matchingConsumers,
  type SourceAnswer,
} from "./credential-resolver.js";

/** Property values shown as they are; every other value is a secret and shown as `***`. */
const PUBLIC_PROPERTIES = new Set(["username", "user", "email", "serverAddress", "serverURL"]);

export interface DescribeCredentialsOptions {
  identity: Identity;
  /** The ocm config file (default `~/.ocmconfig` when it exists). */
  configFile?: string | undefined;
  /** The home directory the default ocm config is read from; defaults to the current user's. */
  home?: string;
}

/** Where credentials came from. */
export interface CredentialSource {
  /** A consumer of the ocm config, a credential repository it lists, or the default of the identity's type. */
  kind: "consumer" | "repository" | "default";
  /** The credential repository type that answered, e.g. `Credentials/v1` or a plugin's. */
  type: string;
  /** For people: `ocm config ~/.ocmconfig, consumer 2 (Credentials/v1)`, or the plugin's own account. */
  description: string;
}

export interface CredentialDescription {
  identity: Identity;
  /** Undefined when no source has credentials: access is anonymous. */
  source?: CredentialSource;
  /** The properties, secrets replaced by `***`. */
  properties?: Record<string, string>;
}

/** Asks each credential source in the resolver's order and reports the first that answers. */
export async function describeCredentials(
  manager: CapabilityProvider,
  options: DescribeCredentialsOptions,
): Promise<CredentialDescription> {
  const home = options.home ?? homedir();
  const config = await loadOcmConfig({ ...(options.configFile ? { path: options.configFile } : {}), home });
  const credentialConfig = readCredentialConfig(config);
  // Nested lookups (a vault needing its own token) go through the real resolver.
  const resolver = createCredentialResolver({ manager, config });
  const file = config.path ?? "the ocm config";
  const ask = async (spec: TypedSpec): Promise<SourceAnswer | undefined> => {
    const repository = await manager.getPlugin(spec.type, "credentialRepository");
    const { identity: own } = await repository.consumerIdentity({ config: spec });
    const access = own ? await resolver.resolve(own) : undefined;
    const { credentials, source } = await repository.resolve(
      { config: spec, identity: options.identity },
      access ? { credentials: access } : undefined,
    );
    if (!credentials || Object.keys(credentials).length === 0) return undefined;
    return source === undefined ? { credentials } : { credentials, source };
  };
  const answer = (
    kind: CredentialSource["kind"],
    spec: TypedSpec,
    where: string,
    found: SourceAnswer,
  ): CredentialDescription => {
    const description = where ? `${where} (${spec.type}${found.source ? `: ${found.source}` : ""})` : "";
    return {
      identity: options.identity,
      source: { kind, type: spec.type, description: description || found.source || spec.type },
      properties: maskSecrets(found.credentials),
    };
  };

  for (const consumer of matchingConsumers(credentialConfig.consumers, options.identity)) {
    for (const spec of consumer.credentials) {
      const found = await ask(spec);
      if (found) return answer("consumer", spec, `ocm config ${file}, consumer ${consumer.index + 1}`, found);
    }
  }
  for (const [index, spec] of credentialConfig.repositories.entries()) {
    if (spec["propagateConsumerIdentity"] === false) continue;
    const found = await ask(spec);
    if (found)
      return answer("repository", spec, `ocm config ${file}, credential repository ${index + 1}`, found);
  }
  const fallback = await askTypeDefault(manager, options.identity, ask);
  if (fallback) return answer("default", fallback.spec, "", fallback.answer);
  return { identity: options.identity };
}

/** Every value but a few public ones replaced by `***`. */
export function maskSecrets(credentials: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(credentials).map(([key, value]) => [key, PUBLIC_PROPERTIES.has(key) ? value : "***"]),
  );
}
