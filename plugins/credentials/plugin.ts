// Built-in credential repositories: docker's config.json (with its credential helpers) and credentials
// written directly in the ocm config. Docker's own config file is also the default source of OCI registry
// credentials: the host asks the credential repository of an identity's own type when the ocm config has
// no answer (ADR 0006), and for `OCIRegistry` that is this plugin reading docker's default location.
import type { CredentialRepository, PluginDefinition } from "../../core/index.js";
import {
  DIRECT_CREDENTIALS_TYPE,
  directCredentialsJsonSchema,
  parseDirectCredentials,
} from "./direct-credentials.js";
import { resolveDockerCredentials } from "./docker-credentials.js";
import {
  DOCKER_CONFIG_TYPE,
  dockerConfigSpecJsonSchema,
  parseDockerConfigSpec,
  type DockerConfigSpec,
} from "./docker-config-spec.js";
import { readDockerConfig } from "./read-docker-config.js";

/** The consumer type whose default credentials are docker's: OCI registries. */
export const REGISTRY_CONSUMER_TYPE = "OCIRegistry/v1";

const dockerConfig: CredentialRepository = {
  // Reading a local file (or asking a local helper) needs no credentials of its own.
  async consumerIdentity({ config }) {
    parseDockerConfigSpec(config);
    return { identity: null };
  },
  async resolve({ config, identity }) {
    const spec = parseDockerConfigSpec(config);
    const file = await readDockerConfig(spec);
    const { credentials, helper } = await resolveDockerCredentials(file, identity, spec.helperTimeoutMs);
    if (!credentials) return { credentials: null };
    const via = helper ? `, credential helper docker-credential-${helper}` : "";
    return { credentials, source: `${describeSource(spec)}${via}` };
  },
};

const directCredentials: CredentialRepository = {
  async consumerIdentity({ config }) {
    parseDirectCredentials(config);
    return { identity: null };
  },
  // The manager has matched the consumer identity already; the spec is the answer.
  async resolve({ config }) {
    return { credentials: parseDirectCredentials(config) };
  },
};

function describeSource(spec: DockerConfigSpec): string {
  return "inline" in spec.source ? "inline docker config" : `docker config ${spec.source.file}`;
}

/** The `credentials` plugin: DockerConfig/v1 and Credentials/v1 credential repositories. */
export const credentialsPlugin: PluginDefinition = {
  name: "credentials",
  version: "0.1.0",
  description:
    "Credentials from docker config files (auths, credHelpers, credsStore) and from the ocm config",
  types: {
    [DOCKER_CONFIG_TYPE]: {
      aliases: ["DockerConfig", "dockerconfig"],
      schema: dockerConfigSpecJsonSchema,
      capabilities: { credentialRepository: dockerConfig },
    },
    [DIRECT_CREDENTIALS_TYPE]: {
      aliases: ["Credentials"],
      schema: directCredentialsJsonSchema,
      capabilities: { credentialRepository: directCredentials },
    },
    // Asked with a bare {type: OCIRegistry} when nothing in the ocm config answers for a registry:
    // `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`, as docker itself reads them.
    [REGISTRY_CONSUMER_TYPE]: {
      aliases: ["OCIRegistry"],
      capabilities: { credentialRepository: dockerConfig },
    },
  },
};
