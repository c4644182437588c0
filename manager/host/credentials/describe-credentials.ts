// `ocm get credentials`: which source would answer a consumer identity, in the resolver's order (the ocm
// config's consumers, most specific first, then its credential repositories, then docker's config file),
// and with which properties, secrets masked. It asks the same plugins the resolver asks.
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { isOcmError, type Identity, type TypedSpec } from "../../../core/index.js";
import { loadOcmConfig } from "../config/load-config.js";
import type { PluginManager } from "../plugin-manager.js";
import { readCredentialConfig, type CredentialConsumer } from "./credential-config.js";
import {
  DOCKER_CONFIG_TYPE,
  createCredentialResolver,
  defaultDockerConfigFile,
} from "./credential-resolver.js";
import { compareSpecificity, matchIdentity, type Specificity } from "./match-identity.js";

/** Property values shown as they are; every other value is a secret and shown as `***`. */
const PUBLIC_PROPERTIES = new Set(["username", "user", "email", "serverAddress", "serverURL"]);

export interface DescribeCredentialsOptions {
  identity: Identity;
  /** The ocm config file (default `~/.ocmconfig` when it exists). */
  configFile?: string | undefined;
  env?: Record<string, string | undefined>;
  home?: string;
}

/** Where credentials came from. */
export interface CredentialSource {
  kind: "consumer" | "repository" | "docker-config";
  /** The credential repository type that answered, e.g. `Credentials/v1`, `DockerConfig/v1`, a plugin's. */
  type: string;
  /** For people: `ocm config ~/.ocmconfig, consumer 2`, `docker config …/config.json, credential helper pass`. */
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
  manager: PluginManager,
  options: DescribeCredentialsOptions,
): Promise<CredentialDescription> {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const config = await loadOcmConfig({ ...(options.configFile ? { path: options.configFile } : {}), home });
  const credentialConfig = readCredentialConfig(config);
  // Nested lookups (a vault needing its own token) go through the real resolver.
  const resolver = createCredentialResolver({ manager, config, env, home });
  const file = config.path ?? "the ocm config";
  const ask = async (spec: TypedSpec): Promise<Record<string, string> | undefined> => {
    const repository = await manager.getPlugin(spec.type, "credentialRepository");
    const { identity: own } = await repository.consumerIdentity({ config: spec });
    const access = own ? await resolver.resolve(own) : undefined;
    const { credentials } = await repository.resolve(
      { config: spec, identity: options.identity },
      access ? { credentials: access } : undefined,
    );
    return credentials && Object.keys(credentials).length > 0 ? credentials : undefined;
  };
  const answer = (source: CredentialSource, credentials: Record<string, string>): CredentialDescription => ({
    identity: options.identity,
    source,
    properties: maskSecrets(credentials),
  });

  for (const { consumer, index } of matchingConsumers(credentialConfig.consumers, options.identity)) {
    for (const spec of consumer.credentials) {
      const found = await ask(spec);
      if (found) {
        const description = `ocm config ${file}, consumer ${index + 1} (${spec.type}${fileOf(spec)})`;
        return answer({ kind: "consumer", type: spec.type, description }, found);
      }
    }
  }
  for (const [index, spec] of credentialConfig.repositories.entries()) {
    if (spec["propagateConsumerIdentity"] === false) continue;
    const found = await ask(spec);
    if (found) {
      const description = `ocm config ${file}, credential repository ${index + 1} (${spec.type}${fileOf(spec)})`;
      return answer({ kind: "repository", type: spec.type, description }, found);
    }
  }
  const docker = defaultDockerConfigFile(env, home);
  const found = await ask({ type: DOCKER_CONFIG_TYPE, dockerConfigFile: docker }).catch((error: unknown) => {
    // No docker config file (or no plugin for it): the implicit source is simply not there.
    if (isOcmError(error) && ["OCM_PLUGIN_NOT_FOUND", "OCM_CREDENTIALS_READ_FAILED"].includes(error.code))
      return undefined;
    throw error;
  });
  if (found) {
    const via = await dockerHelperOf(docker, options.identity);
    const description = `docker config ${docker}${via ? `, credential helper docker-credential-${via}` : ""}`;
    return answer({ kind: "docker-config", type: DOCKER_CONFIG_TYPE, description }, found);
  }
  return { identity: options.identity };
}

/** Every value but a few public ones replaced by `***`. */
export function maskSecrets(credentials: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(credentials).map(([key, value]) => [key, PUBLIC_PROPERTIES.has(key) ? value : "***"]),
  );
}

function fileOf(spec: TypedSpec): string {
  const file = spec["dockerConfigFile"];
  return typeof file === "string" ? ` ${file}` : "";
}

/** Consumers matching `request`, most specific first (file order among equals), with their file index. */
function matchingConsumers(consumers: CredentialConsumer[], request: Identity) {
  const matches: { consumer: CredentialConsumer; index: number; score: Specificity }[] = [];
  consumers.forEach((consumer, index) => {
    let best: Specificity | undefined;
    for (const pattern of consumer.identities) {
      const score = matchIdentity(pattern, request);
      if (score && (!best || compareSpecificity(score, best) > 0)) best = score;
    }
    if (best) matches.push({ consumer, index, score: best });
  });
  return matches.sort((a, b) => compareSpecificity(b.score, a.score));
}

/** The credential helper docker's config names for the identity's registry (credHelpers, else credsStore). */
async function dockerHelperOf(file: string, identity: Identity): Promise<string | undefined> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  let parsed: { credHelpers?: Record<string, string>; auths?: Record<string, unknown>; credsStore?: string };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return undefined;
  }
  const host = `${identity["hostname"] ?? ""}${identity["port"] ? `:${identity["port"]}` : ""}`.toLowerCase();
  const sameHost = (key: string) =>
    (key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").split("/")[0] ?? "").toLowerCase() === host;
  const helper = Object.entries(parsed.credHelpers ?? {}).find(([key]) => sameHost(key));
  if (helper) return helper[1];
  const auth = Object.entries(parsed.auths ?? {}).find(([key]) => sameHost(key));
  const inline = auth?.[1] as { auth?: string; username?: string; identitytoken?: string } | undefined;
  if (inline?.auth || inline?.username || inline?.identitytoken) return undefined;
  return parsed.credsStore;
}
