// OCM's hostpath matching of consumer identities: a configured identity (the pattern) matches a
// requested one when type and host agree, its port and scheme agree where both are given, and its
// pathprefix is a prefix of the requested path by whole segments. The most specific match wins. Host
// names ignore case; other spellings of one host are the consumerIdentity plugin's to bring to one form.
import type { Identity } from "../../../core/index.js";

/** How specific a match is; compare with compareSpecificity, higher is better. */
export type Specificity = readonly number[];

const HOSTPATH_KEYS = new Set(["type", "hostname", "port", "scheme", "pathprefix"]);

/** The specificity of `pattern` for `request`, or undefined when it does not match. */
export function matchIdentity(pattern: Identity, request: Identity): Specificity | undefined {
  const patternType = pattern["type"];
  if (patternType !== undefined && canonicalType(patternType) !== canonicalType(request["type"] ?? "")) {
    return undefined;
  }
  const hostname = pattern["hostname"];
  if (hostname !== undefined && hostname.toLowerCase() !== (request["hostname"] ?? "").toLowerCase()) {
    return undefined;
  }
  const port = pattern["port"];
  if (port !== undefined && port !== request["port"]) return undefined;
  const scheme = pattern["scheme"];
  if (scheme !== undefined && request["scheme"] !== undefined && scheme !== request["scheme"])
    return undefined;

  const prefix = segments(pattern["pathprefix"]);
  const path = segments(request["pathprefix"]);
  if (prefix.length > path.length || prefix.some((segment, i) => segment !== path[i])) return undefined;

  let others = 0;
  for (const [key, value] of Object.entries(pattern)) {
    if (HOSTPATH_KEYS.has(key)) continue;
    if (request[key] !== value) return undefined;
    others++;
  }
  return [hostname ? 1 : 0, port ? 1 : 0, scheme ? 1 : 0, prefix.length, others];
}

/** Orders specificities: negative when `a` is less specific than `b`. */
export function compareSpecificity(a: Specificity, b: Specificity): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

// OCM v2 names consumer types with a version (`<Name>/v1`), v1 without: the same consumer.
function canonicalType(type: string): string {
  return type.replace(/\/v1$/, "");
}

function segments(path: string | undefined): string[] {
  return (path ?? "").split("/").filter(Boolean);
}
