// Splits an OCI image reference (`host[:port]/path[:tag][@digest]`) the way docker reads it: a first
// component without `.` or `:` that is not `localhost` is a Docker Hub path, not a host.
import { OcmError } from "../../../core/index.js";

/** The registry and repository of an image reference. */
export interface ImageLocation {
  hostname: string;
  port?: string;
  /** Repository path below the registry, e.g. `library/nginx`. */
  path: string;
}

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^:/]+)(?::(\d+))?$/;

/** Parses `host[:port]/path[:tag][@digest]`; a reference without a registry host is on Docker Hub. */
export function parseImageReference(reference: string): ImageLocation {
  const withoutDigest = reference.split("@")[0] ?? "";
  const withoutScheme = withoutDigest.replace(/^[a-z]+:\/\//i, "");
  const lastSlash = withoutScheme.lastIndexOf("/");
  const lastColon = withoutScheme.lastIndexOf(":");
  const name = lastColon > lastSlash ? withoutScheme.slice(0, lastColon) : withoutScheme;
  const slash = name.indexOf("/");
  const first = slash < 0 ? name : name.slice(0, slash);
  const isHost = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  if (!isHost) {
    if (!name) throw invalidReference(reference);
    return { hostname: "docker.io", path: slash < 0 ? `library/${name}` : name };
  }
  const match = HOST_PORT.exec(first);
  const path = name.slice(slash + 1);
  if (!match?.[1] || !path) throw invalidReference(reference);
  return { hostname: match[1].toLowerCase(), ...(match[2] ? { port: match[2] } : {}), path };
}

function invalidReference(reference: string): OcmError {
  return new OcmError({
    code: "OCM_REFERENCE_INVALID",
    message: `image reference ${JSON.stringify(reference)} names no repository`,
    hint: "Write host[:port]/path[:tag][@digest], e.g. ghcr.io/acme/app:1.0.",
    details: { reference },
  });
}
