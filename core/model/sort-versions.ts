// Orders version lists for display and "latest" choices: semantic versions first, in semver order.
import type { SemVer } from "semver";
import semverCompare from "semver/functions/compare.js";
import semverParse from "semver/functions/parse.js";

function toSemver(version: string): SemVer | null {
  // Relaxed forms such as v1, 1.2 or v1.2.3-rc.1 are filled up to major.minor.patch.
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?([-+].*)?$/.exec(version);
  if (!m) return null;
  return semverParse(`${m[1]}.${m[2] ?? "0"}.${m[3] ?? "0"}${m[4] ?? ""}`);
}

/**
 * Sorts versions ascending: those that read as semver (optional leading `v`, missing minor/patch taken as 0)
 * by semver precedence, ties and all others lexically, the non-semver ones after the semver ones.
 */
export function sortVersions(versions: readonly string[]): string[] {
  const parsed = versions.map((v) => ({ v, s: toSemver(v) }));
  parsed.sort((a, b) => {
    if (a.s && b.s) return semverCompare(a.s, b.s) || (a.v < b.v ? -1 : a.v > b.v ? 1 : 0);
    if (a.s) return -1;
    if (b.s) return 1;
    return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  });
  return parsed.map((p) => p.v);
}
