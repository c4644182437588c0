// The Authorization header for a registry request: Basic from username/password, or a bearer token from the
// challenge's token endpoint (distribution docs/spec/auth/token.md, oauth.md), cached per registry, scope
// and credentials until shortly before it expires. Secrets stay in headers; messages name only URLs.
import { createHash } from "node:crypto";
import { unauthorizedError, requestFailedError, type RegistryErrorBody } from "../oci-errors.js";
import type { Challenge } from "./challenge.js";
import { readBody, sendHttp, type HttpAnswer } from "./http.js";
import { logRequest } from "./request-log.js";

/** Bound on a token endpoint's answer: a token is a few KiB. */
const MAX_TOKEN_ANSWER = 1024 * 1024;

/** Credentials as the host resolves them: `username`/`password`, `identityToken`, `accessToken`. */
export type RegistryCredentials = Record<string, string>;

interface CachedToken {
  token: string;
  expires: number;
}

const tokens = new Map<string, CachedToken>();
// Tokens are reused until this long before they expire.
const EXPIRY_MARGIN_MS = 10_000;
// The spec's default lifetime when the server sends no expires_in.
const DEFAULT_LIFETIME_S = 60;

const fingerprint = (credentials: RegistryCredentials | undefined) =>
  createHash("sha256")
    .update(JSON.stringify(Object.entries(credentials ?? {}).sort()))
    .digest("hex")
    .slice(0, 16);

/** True when the credentials can answer a challenge (anonymous token requests need none). */
export function hasCredentials(credentials: RegistryCredentials | undefined): boolean {
  return Boolean(credentials?.["username"] || credentials?.["identityToken"] || credentials?.["accessToken"]);
}

/** Forgets the cached token for this registry, scope and credentials (after the registry refused it). */
export function forgetToken(origin: string, scopes: string[], credentials: RegistryCredentials | undefined) {
  tokens.delete(`${origin} ${scopes.join(" ")} ${fingerprint(credentials)}`);
}

/** The Authorization header value for a challenge, or undefined when the request must go out anonymous. */
export async function authorization(
  origin: string,
  challenge: Challenge,
  scopes: string[],
  credentials: RegistryCredentials | undefined,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  const username = credentials?.["username"];
  const password = credentials?.["password"] ?? "";
  if (challenge.scheme === "basic") {
    return username ? `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}` : undefined;
  }
  if (credentials?.["accessToken"]) return `Bearer ${credentials["accessToken"]}`;
  const key = `${origin} ${scopes.join(" ")} ${fingerprint(credentials)}`;
  const cached = tokens.get(key);
  if (cached !== undefined && cached.expires > Date.now()) return `Bearer ${cached.token}`;
  const token = await fetchToken(challenge, scopes, credentials, signal);
  tokens.set(key, { token: token.token, expires: Date.now() + token.lifetime * 1000 - EXPIRY_MARGIN_MS });
  return `Bearer ${token.token}`;
}

async function fetchToken(
  challenge: Extract<Challenge, { scheme: "bearer" }>,
  scopes: string[],
  credentials: RegistryCredentials | undefined,
  signal: AbortSignal | undefined,
): Promise<{ token: string; lifetime: number }> {
  const url = new URL(challenge.realm);
  const params = new URLSearchParams();
  if (challenge.service !== undefined) params.set("service", challenge.service);
  for (const scope of scopes) params.append("scope", scope);
  const refreshToken = credentials?.["identityToken"];
  const username = credentials?.["username"];
  let method: "GET" | "POST" = "GET";
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (refreshToken) {
    // OAuth2 refresh-token grant (docs/spec/auth/oauth.md): how docker uses an identity token.
    method = "POST";
    params.set("grant_type", "refresh_token");
    params.set("refresh_token", refreshToken);
    params.set("client_id", "ocm-ts");
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = params.toString();
  } else {
    for (const [k, v] of params) url.searchParams.append(k, v);
    if (username) {
      headers["authorization"] =
        `Basic ${Buffer.from(`${username}:${credentials?.["password"] ?? ""}`).toString("base64")}`;
    }
  }
  const shown = `${url.origin}${url.pathname}`;
  let answer: HttpAnswer;
  try {
    answer = await sendHttp(url, { method, headers, body }, signal);
  } catch (error) {
    logRequest(method, url, (error as { code?: string }).code ?? (error as Error).name);
    throw requestFailedError(method, shown, "token request failed", undefined, error);
  }
  logRequest(method, url, answer.status);
  const text = (await readBody(method, shown, answer.body, MAX_TOKEN_ANSWER)).toString("utf8");
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // A non-JSON answer is reported below by status or the missing token.
  }
  const errorBody = (json["errors"] as RegistryErrorBody[] | undefined)?.[0];
  if (answer.status === 401 || answer.status === 403) {
    throw unauthorizedError(method, shown, answer.status, errorBody, hasCredentials(credentials));
  }
  const token = json["token"] ?? json["access_token"];
  if (answer.status !== 200 || typeof token !== "string" || token === "") {
    throw requestFailedError(
      method,
      shown,
      `token endpoint answered HTTP ${answer.status} without a token`,
      errorBody,
    );
  }
  const expiresIn = json["expires_in"];
  return { token, lifetime: typeof expiresIn === "number" && expiresIn > 0 ? expiresIn : DEFAULT_LIFETIME_S };
}
