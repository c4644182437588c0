// Access type names as they appear in descriptors: the canonical V2 names and the legacy aliases that
// descriptors written by older OCM tools still use, and which must be read. Types stay open: an unknown
// type is not an error.

/** Canonical access type → every spelling that means it (compare with `canonicalAccessType`). */
export const ACCESS_TYPE_ALIASES = {
  "LocalBlob/v1": ["localBlob", "localBlob/v1", "LocalBlob"],
  "OCIImage/v1": [
    "ociArtifact",
    "ociArtifact/v1",
    "ociRegistry",
    "ociRegistry/v1",
    "ociImage",
    "ociImage/v1",
    "OCIImage",
  ],
  "OCIImageLayer/v1": ["ociBlob", "ociBlob/v1", "OCIImageLayer"],
  "Helm/v1": ["helm", "helm/v1", "Helm"],
  "S3/v1": ["s3", "s3/v1", "S3"],
  "GitHub/v1": ["github", "github/v1", "gitHub", "gitHub/v1", "GitHub"],
  "NPM/v1": ["npm", "npm/v1", "NPM"],
  "Wget/v1": ["wget", "wget/v1", "Wget"],
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
