// The version of the host↔plugin contract. A plugin is compatible when its major version matches.
// Versions in the contract are checked with the regular expression the Semantic Versioning 2.0.0 spec
// gives (semver.org), so a plugin's start does not load a semver library for two checks.

export const PROTOCOL_VERSION = "1.0.0";

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** The major version of a semantic version (a leading `v` accepted, as npm's semver does), or undefined. */
export function semverMajor(version: string): number | undefined {
  const match = SEMVER.exec(version.trim().replace(/^v/, ""));
  return match ? Number(match[1]) : undefined;
}

/** True when `version` is a semantic version. */
export function isSemver(version: string): boolean {
  return semverMajor(version) !== undefined;
}

/** True when a plugin speaking `pluginProtocol` can be driven by this host. */
export function isProtocolCompatible(
  pluginProtocol: string,
  hostProtocol: string = PROTOCOL_VERSION,
): boolean {
  const plugin = semverMajor(pluginProtocol);
  return plugin !== undefined && plugin === semverMajor(hostProtocol);
}
