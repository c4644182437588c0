// `plugins.<id>.remote` of the plugin config entry: a plugin that runs as a service at one or more URLs
// (ADR 0009). Checked when the config is read: a plain-HTTP URL to a host other than loopback is refused
// there, before any token or credential could travel over it.
import { z } from "zod";
import { OcmError } from "../../../core/index.js";

/** Where the bearer token of a remote plugin comes from: never the config file or the command line. */
export type TokenSource = { env: string } | { credentials: true };

/** A remote plugin as the host uses it. */
export interface RemoteSettings {
  /** Base URLs of its instances (`https://host:port`, or `http://` on loopback), without a path. */
  urls: string[];
  token?: TokenSource;
  /** Files (absolute): a CA to trust for the servers, a client certificate and key for mTLS. */
  ca?: string;
  cert?: string;
  key?: string;
  /** Send per-call credentials (`ocm-credentials`) to this plugin; off unless the user routes them here. */
  forwardCredentials: boolean;
  /** Consecutive connection failures that take an instance out until its health check passes. */
  failureThreshold: number;
  /** Extra attempts of an idempotent call after a connection failure, on another instance when there is one. */
  retries: number;
}

export const remoteSchema = z.strictObject({
  urls: z.array(z.string().min(1)).min(1),
  /** `env:<NAME>` (an environment variable) or `credentials` (consumer {type: OCMPluginService, id}). */
  tokenFrom: z
    .string()
    .regex(/^(env:[A-Za-z_][A-Za-z0-9_]*|credentials)$/, {
      message: 'must be "env:<VARIABLE>" or "credentials"',
    })
    .optional(),
  ca: z.string().min(1).optional(),
  cert: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
  forwardCredentials: z.boolean().optional(),
  failureThreshold: z.number().int().positive().optional(),
  retries: z.number().int().nonnegative().max(10).optional(),
});

export type RemoteEntry = z.infer<typeof remoteSchema>;

const LOOPBACK_HOSTS = new Set(["localhost", "[::1]", "::1"]);

/** Whether `hostname` (as URL parses it) is this machine's loopback interface. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** Checks one base URL of a remote plugin: https, or http to loopback; no path, query or user info. */
export function checkRemoteUrl(id: string, value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(id, field, `${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw invalid(id, field, `${JSON.stringify(value)} is not an http(s) URL`);
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new OcmError({
      code: "OCM_PLUGIN_REMOTE_INSECURE",
      message: `remote plugin ${id}: ${field} ${JSON.stringify(value)} is plain HTTP to ${url.hostname}, which is not loopback; its token and credentials would cross the network readable`,
      hint: "Use https:// (with ca: <file> for a private CA); plain http:// is allowed to 127.0.0.1, ::1 and localhost only.",
      details: { plugin: id, field },
    });
  }
  if (url.username || url.password || (url.pathname !== "/" && url.pathname !== "") || url.search) {
    throw invalid(
      id,
      field,
      `${JSON.stringify(value)} must be scheme://host:port only (no user, path or query)`,
    );
  }
  return url.origin;
}

/** Converts a validated entry; `resolveFile` makes a file name absolute (against the config file's folder). */
export function toRemoteSettings(
  id: string,
  entry: RemoteEntry,
  context: { resolveFile: (path: string) => string; field: string },
): RemoteSettings {
  const file = context.resolveFile;
  if ((entry.cert === undefined) !== (entry.key === undefined)) {
    throw invalid(id, `${context.field}.cert`, "cert and key go together (the client certificate for mTLS)");
  }
  const settings: RemoteSettings = {
    urls: entry.urls.map((url, index) => checkRemoteUrl(id, url, `${context.field}.urls.${index}`)),
    forwardCredentials: entry.forwardCredentials ?? false,
    failureThreshold: entry.failureThreshold ?? 1,
    retries: entry.retries ?? 2,
  };
  if (entry.tokenFrom !== undefined) {
    settings.token =
      entry.tokenFrom === "credentials" ? { credentials: true } : { env: entry.tokenFrom.slice(4) };
  }
  if (entry.ca !== undefined) settings.ca = file(entry.ca);
  if (entry.cert !== undefined) settings.cert = file(entry.cert);
  if (entry.key !== undefined) settings.key = file(entry.key);
  if (settings.token === undefined && settings.cert === undefined) {
    throw invalid(
      id,
      context.field,
      "names no credential: give tokenFrom (env:<VARIABLE> or credentials) or cert and key",
    );
  }
  return settings;
}

function invalid(id: string, field: string, what: string): OcmError {
  return new OcmError({
    code: "OCM_CONFIG_INVALID",
    message: `remote plugin ${id}: field ${field}: ${what}`,
    hint: "A remote plugin is {urls: [https://host:port, ...], tokenFrom: env:<VARIABLE> | credentials, ca?, cert?, key?} (docs/cli.md).",
    details: { plugin: id, field },
  });
}
