// Parses a `WWW-Authenticate` header (RFC 7235) as registries send it: `Basic realm="..."` or
// `Bearer realm="...",service="...",scope="..."` (distribution docs/spec/auth/token.md).

/** The auth scheme a registry asked for. */
export type Challenge =
  { scheme: "basic" } | { scheme: "bearer"; realm: string; service?: string; scope?: string };

/** The first Basic or Bearer challenge of the header; undefined for none or an unknown scheme. */
export function parseChallenge(header: string | string[] | undefined): Challenge | undefined {
  const text = Array.isArray(header) ? header.join(", ") : (header ?? "");
  const match = /^\s*(\w+)\s*(.*)$/s.exec(text);
  if (!match) return undefined;
  const scheme = (match[1] ?? "").toLowerCase();
  if (scheme === "basic") return { scheme: "basic" };
  if (scheme !== "bearer") return undefined;
  const params = new Map<string, string>();
  for (const param of (match[2] ?? "").matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
    params.set((param[1] ?? "").toLowerCase(), (param[2] ?? param[3] ?? "").replace(/\\(.)/g, "$1"));
  }
  const realm = params.get("realm");
  if (realm === undefined) return undefined;
  const service = params.get("service");
  const scope = params.get("scope");
  return {
    scheme: "bearer",
    realm,
    ...(service === undefined ? {} : { service }),
    ...(scope === undefined ? {} : { scope }),
  };
}
