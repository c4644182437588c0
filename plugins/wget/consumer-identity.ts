// The consumer identity credentials for a `wget` access are looked up by, as the Go tool names it
// (consumer type `wget`, from the URL: hostname, port, pathprefix, scheme).
import type { Identity } from "../../sdk/index.js";

/** The consumer type of `wget` accesses. */
export const WGET_CONSUMER = "wget";

/** `{type: wget, hostname, port?, pathprefix?, scheme}` of `url`. */
export function wgetIdentity(url: URL): Identity {
  const identity: Identity = { type: WGET_CONSUMER, hostname: url.hostname.toLowerCase() };
  if (url.port) identity["port"] = url.port;
  const path = url.pathname.replace(/^\/+|\/+$/g, "");
  if (path) identity["pathprefix"] = path;
  identity["scheme"] = url.protocol.slice(0, -1);
  return identity;
}

/** The Authorization header for OCM credentials: basic for username/password, bearer for a token. */
export function authorizationOf(credentials: Record<string, string> | undefined): string | undefined {
  if (!credentials) return undefined;
  const token = credentials["identityToken"] ?? credentials["accessToken"];
  if (token) return `Bearer ${token}`;
  const { username, password } = credentials;
  if (username !== undefined && password !== undefined) {
    return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  }
  return undefined;
}
