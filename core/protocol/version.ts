// The version of the host↔plugin contract. A plugin is compatible when its major version matches.
import semverParse from "semver/functions/parse.js";

export const PROTOCOL_VERSION = "1.0.0";

/** True when a plugin speaking `pluginProtocol` can be driven by this host. */
export function isProtocolCompatible(
  pluginProtocol: string,
  hostProtocol: string = PROTOCOL_VERSION,
): boolean {
  const plugin = semverParse(pluginProtocol);
  const host = semverParse(hostProtocol);
  return plugin !== null && host !== null && plugin.major === host.major;
}
