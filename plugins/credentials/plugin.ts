// Built-in credential repositories: docker's config.json (with its credential helpers) and
// credentials written directly in the ocm config.
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
} from "./docker-config-spec.js";
import { readDockerConfig } from "./read-docker-config.js";

const dockerConfig: CredentialRepository = {
  // Reading a local file (or asking a local helper) needs no credentials of its own.
  async consumerIdentity({ config }) {
    parseDockerConfigSpec(config);
    return { identity: null };
  },
  async resolve({ config, identity }) {
    const spec = parseDockerConfigSpec(config);
    const file = await readDockerConfig(spec);
    return { credentials: await resolveDockerCredentials(file, identity, spec.helperTimeoutMs) };
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
  },
};
