// Name and version patterns of the v2 JSON schema ($defs), shared by the v2 and v3alpha1 schemas.

/** Component name: a DNS domain followed by at least one path segment (`acme.org/app`). */
export const COMPONENT_NAME_PATTERN =
  /^[a-z][-a-z0-9]*([.][a-z][-a-z0-9]*)*[.][a-z]{2,}(\/[a-z][-a-z0-9_]*([.][a-z][-a-z0-9_]*)*)+$/;

/** Element names and extra identity keys (`$defs.identityAttributeKey`). */
export const IDENTITY_KEY_PATTERN = /^[a-z0-9]([-_+a-z0-9]*[a-z0-9])?$/;

/** Relaxed semver: optional `v`, optional minor and patch (`$defs.relaxedSemver`). */
export const RELAXED_SEMVER_PATTERN =
  /^[v]?(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?(?:\.(0|[1-9]\d*))?(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Label specification version (`v1`, `v2`, ...). */
export const LABEL_VERSION_PATTERN = /^v[0-9]+$/;
