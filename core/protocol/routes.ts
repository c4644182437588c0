// URL paths and headers of the host↔plugin HTTP/1.1 protocol.
// Capability routes are namespaced by capability and type, so one process can serve many of both.
import { Buffer } from "node:buffer";
import type { CapabilityKind } from "./capabilities.js";

export const ROUTE_PREFIX = "/v1";
export const HEALTH_ROUTE = `${ROUTE_PREFIX}/health`;
export const STATUS_ROUTE = `${ROUTE_PREFIX}/status`;
export const TEST_CONNECTION_ROUTE = `${ROUTE_PREFIX}/test-connection`;
export const SHUTDOWN_ROUTE = `${ROUTE_PREFIX}/shutdown`;
/** The capabilities document over HTTP, for a plugin that runs as a service (ADR 0009). */
export const CAPABILITIES_ROUTE = `${ROUTE_PREFIX}/capabilities`;

/** Upload operations carry their JSON request here, base64url-encoded, because the body is the blob. */
export const REQUEST_HEADER = "ocm-request";
/** Credentials for the call's target, base64url-encoded JSON (see CallOptions.credentials). */
export const CREDENTIALS_HEADER = "ocm-credentials";
/** Download operations return the blob's metadata here, base64url-encoded JSON. */
export const BLOB_HEADER = "ocm-blob";
export const BLOB_CONTENT_TYPE = "application/octet-stream";

/** `/v1/cap/<capability>/<url-encoded type>/<operation>` */
export function capabilityRoute(capability: CapabilityKind, type: string, route: string): string {
  return `${ROUTE_PREFIX}/cap/${capability}/${encodeURIComponent(type)}/${route}`;
}

/** Splits a capability route into its parts, or returns undefined for any other path. */
export function parseCapabilityRoute(
  path: string,
): { capability: string; type: string; route: string } | undefined {
  const match = /^\/v1\/cap\/([^/]+)\/([^/]+)\/([^/?]+)$/.exec(path);
  if (!match) return undefined;
  try {
    return {
      capability: match[1] as string,
      type: decodeURIComponent(match[2] as string),
      route: match[3] as string,
    };
  } catch {
    return undefined;
  }
}

export function encodeHeaderJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

export function decodeHeaderJson(value: string): unknown {
  return JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
}

/** Per-launch secret on TCP (and on unix when given): `Authorization: Bearer <secret>` on every request. */
export const AUTHORIZATION_HEADER = "authorization";

/**
 * HTTP status a plugin answers for an error code; the body is always the JSON wire error, and the host
 * rebuilds the same OcmError from the body, so the status is informative only.
 */
export function statusForErrorCode(code: string): number {
  switch (code) {
    case "OCM_RPC_BAD_REQUEST":
      return 400;
    case "OCM_RPC_UNAUTHORIZED":
      return 401;
    case "OCM_RPC_NOT_FOUND":
      return 404;
    case "OCM_INTERNAL":
      return 500;
    default:
      return 422;
  }
}
