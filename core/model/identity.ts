// Element identities: how a resource, source or reference is told apart from its siblings, and the
// `name=x,k=v` selector syntax of the command line (ocm-spec 01-model/03-elements-sub.md#element-identity).
import { OcmError } from "../errors.js";
import type { Identity } from "../protocol/common.js";

export type { Identity };

/** The identity fields of a resource, source or reference; other fields are ignored. */
export interface IdentityElement {
  readonly name: string;
  readonly version?: unknown;
  readonly extraIdentity?: unknown;
}

function extraOf(element: IdentityElement): Record<string, string> {
  const extra = element.extraIdentity;
  if (extra === null || typeof extra !== "object") return {};
  return Object.fromEntries(
    Object.entries(extra).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}

function sameExtra(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}

/**
 * The effective identity of an element: `{name} ∪ extraIdentity`; when another sibling has the same name
 * and extra identity, `version` is added as well (Go `ElementMeta.GetIdentity`). `siblings` is the list the
 * element belongs to (it may include the element itself).
 */
export function elementIdentity(element: IdentityElement, siblings: readonly IdentityElement[]): Identity {
  const extra = extraOf(element);
  const identity: Identity = { name: element.name, ...extra };
  const same = siblings.filter((s) => s.name === element.name && sameExtra(extraOf(s), extra));
  const others = same.includes(element) ? same.length - 1 : same.length;
  if (others > 0 && typeof element.version === "string") identity["version"] = element.version;
  return identity;
}

/**
 * Parses `name=x,key=value` into an identity. A bare word without `=` is taken as the name
 * (`x` → `{name: "x"}`) only as the first entry. Throws OCM_IDENTITY_INVALID on an empty key or entry.
 */
export function parseIdentity(text: string): Identity {
  const identity: Identity = {};
  const parts = text.split(",");
  parts.forEach((part, index) => {
    const eq = part.indexOf("=");
    if (eq < 0 && index === 0 && part.trim() !== "") {
      identity["name"] = part.trim();
      return;
    }
    const key = eq < 0 ? "" : part.slice(0, eq).trim();
    if (key === "") {
      throw new OcmError({
        code: "OCM_IDENTITY_INVALID",
        message: `identity ${JSON.stringify(text)}: entry ${JSON.stringify(part)} is not key=value`,
        hint: "Write the identity as name=<name>[,<key>=<value>...], e.g. name=image,os=linux.",
        details: { identity: text },
      });
    }
    identity[key] = part.slice(eq + 1).trim();
  });
  return identity;
}

/** True when every key of `selector` is in `identity` with the same value (an empty selector matches all). */
export function identityMatches(identity: Identity, selector: Identity): boolean {
  return Object.entries(selector).every(([key, value]) => identity[key] === value);
}

/** Two elements of one list that share their whole identity: indexes and the identity. */
export interface DuplicateIdentity {
  first: number;
  second: number;
  identity: Identity;
}

/**
 * The first pair of elements in `list` that no selector can tell apart: the same name, extra identity and
 * version (elements that differ only in version are told apart by it, as OCM's identity rules say).
 */
export function findDuplicateIdentity(list: readonly IdentityElement[]): DuplicateIdentity | undefined {
  const seen = new Map<string, number>();
  for (const [index, element] of list.entries()) {
    const extra = extraOf(element);
    const key = JSON.stringify([
      element.name,
      typeof element.version === "string" ? element.version : null,
      Object.keys(extra)
        .sort()
        .map((k) => [k, extra[k]]),
    ]);
    const first = seen.get(key);
    if (first !== undefined) {
      const identity: Identity = { name: element.name, ...extra };
      if (typeof element.version === "string") identity["version"] = element.version;
      return { first, second: index, identity };
    }
    seen.set(key, index);
  }
  return undefined;
}

/** `name=x,version=1.0.0,os=linux` for messages. */
export function formatIdentity(identity: Identity): string {
  return Object.entries(identity)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}
