// The version of the host↔plugin contract. A plugin is compatible when its major version matches.
import semver from "semver";

export const PROTOCOL_VERSION = "1.0.0";

/** True when a plugin speaking `pluginProtocol` can be driven by this host. */
export function isProtocolCompatible(
  pluginProtocol: string,
  hostProtocol: string = PROTOCOL_VERSION,
): boolean {
  const plugin = semver.parse(pluginProtocol);
  const host = semver.parse(hostProtocol);
  return plugin !== null && host !== null && plugin.major === host.major;
}
