// Finds the credentials of an OCI registry identity in a docker config, in docker's order: the
// registry's credHelpers entry, then its auths entry, then the credsStore.
import { OcmError, type Identity } from "../../core/index.js";
import { runCredentialHelper } from "./credential-helper.js";
import type { DockerAuthEntry, DockerConfigFile } from "./read-docker-config.js";
import { findByHost, isOciRegistryIdentity, registryHostOf, serverUrlFor } from "./registry-host.js";

/** What a docker config answers: the credentials, and the helper that gave them when one did. */
export interface DockerAnswer {
  credentials: Record<string, string> | null;
  /** The `<name>` of `docker-credential-<name>`, when a credential helper answered. */
  helper?: string;
}

/** Credentials for `identity` from `config`, or null when the config has none for its registry. */
export async function resolveDockerCredentials(
  config: DockerConfigFile,
  identity: Identity,
  helperTimeoutMs: number,
): Promise<DockerAnswer> {
  if (!isOciRegistryIdentity(identity)) return { credentials: null };
  const host = registryHostOf(identity);
  if (host === undefined) return { credentials: null };

  const helper = findByHost(config.credHelpers, host);
  if (helper) return askHelper(helper[1], serverUrlFor(host, helper[0]), helperTimeoutMs);

  const auth = findByHost(config.auths, host);
  const fromFile = auth ? credentialsOfEntry(auth[0], auth[1]) : null;
  if (fromFile) return { credentials: fromFile };

  if (config.credsStore) return askHelper(config.credsStore, serverUrlFor(host, auth?.[0]), helperTimeoutMs);
  return { credentials: null };
}

async function askHelper(name: string, serverUrl: string, timeoutMs: number): Promise<DockerAnswer> {
  const credentials = await runCredentialHelper(name, serverUrl, timeoutMs);
  return credentials ? { credentials, helper: name } : { credentials: null };
}

/** The credentials of one `auths` entry in OCM's key names; null for an empty entry (a credsStore placeholder). */
export function credentialsOfEntry(key: string, entry: DockerAuthEntry): Record<string, string> | null {
  const credentials: Record<string, string> = {};
  if (entry.auth) Object.assign(credentials, decodeAuth(key, entry.auth));
  if (entry.username) credentials["username"] = entry.username;
  if (entry.password) credentials["password"] = entry.password;
  if (entry.identitytoken) credentials["identityToken"] = entry.identitytoken;
  if (entry.registrytoken) credentials["accessToken"] = entry.registrytoken;
  return Object.keys(credentials).length ? credentials : null;
}

function decodeAuth(key: string, auth: string): Record<string, string> {
  const decoded = Buffer.from(auth, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (!/^[A-Za-z0-9+/=\s]*$/.test(auth) || colon < 0) {
    throw new OcmError({
      code: "OCM_CREDENTIALS_INVALID",
      message: `docker config entry auths.${key}.auth is not base64 of "<username>:<password>"`,
      hint: `Log in again with \`docker login ${key}\`, or write username and password fields instead.`,
      details: { field: `auths.${key}.auth` },
    });
  }
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1).replace(/\0+$/, "");
  return { ...(username ? { username } : {}), ...(password ? { password } : {}) };
}
