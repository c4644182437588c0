// The access types of the component model itself (a blob stored with the component version, no content)
// with the legacy spellings older OCM tools wrote and which must still be read. Every other access type,
// and its aliases, is declared by the plugin that serves it. Types stay open: an unknown type is no error.

/** Canonical access type → every spelling that means it (compare with `canonicalAccessType`). */
export const ACCESS_TYPE_ALIASES = {
  "LocalBlob/v1": ["localBlob", "localBlob/v1", "LocalBlob"],
  none: ["None", "none/v1"],
  localFilesystemBlob: ["localFilesystemBlob/v1"],
} as const satisfies Record<string, readonly string[]>;

export type CanonicalAccessType = keyof typeof ACCESS_TYPE_ALIASES;

const canonical = new Map<string, CanonicalAccessType>();
for (const [name, aliases] of Object.entries(ACCESS_TYPE_ALIASES) as [
  CanonicalAccessType,
  readonly string[],
][]) {
  canonical.set(name, name);
  for (const alias of aliases) canonical.set(alias, name);
}

/** The canonical name of a known access type (`localBlob` → `LocalBlob/v1`), or undefined for an unknown one. */
export function canonicalAccessType(type: string): CanonicalAccessType | undefined {
  return canonical.get(type);
}

/** True for the access types of a resource without content (`none`, `None`); its digest is not signed. */
export function isNoneAccess(access: { type: string } | null | undefined): boolean {
  return access !== null && access !== undefined && canonicalAccessType(access.type) === "none";
}
