// Which version of a plugin component to install: the one named, the highest satisfying a semver
// constraint (`^1.2`), or the latest, among the versions the repository lists for the component.
import semverSatisfies from "semver/functions/satisfies.js";
import validRange from "semver/ranges/valid.js";
import { OcmError, type TypedSpec } from "../../../core/index.js";
import { sortVersions } from "../../../core/model/index.js";
import type { CapabilityProvider } from "../../../core/index.js";

/** A relaxed version (`v1.2`, `1`) filled up to major.minor.patch, or undefined when it is none. */
function asSemver(version: string): string | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?([-+].*)?$/.exec(version);
  return m ? `${m[1]}.${m[2] ?? "0"}.${m[3] ?? "0"}${m[4] ?? ""}` : undefined;
}

/**
 * True when the version part of a reference is a constraint rather than a version: it starts with an
 * operator (`^`, `~`, `<`, `>`, `=`) or has a wildcard part (`1.x`, `1.*`).
 */
export function isVersionConstraint(version: string): boolean {
  return /^[\^~<>=]/.test(version) || /(^|\.)[xX*](\.|$)/.test(version) || /\s|\|\|/.test(version);
}

/** Throws OCM_USAGE_INVALID unless `constraint` is a semver range. */
export function checkConstraint(constraint: string): void {
  if (validRange(constraint) === null) {
    throw new OcmError({
      code: "OCM_USAGE_INVALID",
      message: `${JSON.stringify(constraint)} is not a semver constraint`,
      hint: 'Write a version (1.2.0) or a range such as "^1.2", "~1.2.3", "1.x" or ">=1.0.0 <2".',
    });
  }
}

/**
 * The highest version of `component` satisfying `constraint`, or the highest release (prereleases only
 * when there is nothing else) without one. Throws OCM_INSTALL_NO_VERSION listing what there is.
 */
export async function resolvePluginVersion(
  manager: CapabilityProvider,
  source: { repository: TypedSpec; component: string },
  constraint?: string,
): Promise<string> {
  if (constraint !== undefined) checkConstraint(constraint);
  const repo = await manager.getPlugin(source.repository.type, "componentVersionRepository");
  const all = sortVersions((await repo.listComponentVersions(source)).versions);
  const semver = all.filter((v) => asSemver(v) !== undefined);
  const releases = semver.filter((v) => !/-/.test(asSemver(v) as string));
  const candidates =
    constraint === undefined
      ? releases.length
        ? releases
        : semver
      : semver.filter((v) => semverSatisfies(asSemver(v) as string, constraint));
  const chosen = candidates.at(-1);
  if (chosen !== undefined) return chosen;
  throw new OcmError({
    code: "OCM_INSTALL_NO_VERSION",
    message:
      constraint === undefined
        ? `${source.component} has no semantic version to install`
        : `no version of ${source.component} satisfies ${JSON.stringify(constraint)}`,
    hint: all.length
      ? `Versions there: ${all.join(", ")}. Name one (<ref>:<version>) or use a constraint that matches.`
      : "The repository holds no version of it; check the repository and component name.",
    details: { component: source.component, versions: all, ...(constraint ? { constraint } : {}) },
  });
}
