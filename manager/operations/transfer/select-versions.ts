// Chooses the versions of the root component to transfer: the one named, or all of them filtered by a
// semver range and cut to the highest with `latest`.
import semverSatisfies from "semver/functions/satisfies.js";
import semverValid from "semver/functions/valid.js";
import validRange from "semver/ranges/valid.js";
import type { ComponentVersionRepository, TypedSpec } from "../../../core/index.js";
import { sortVersions } from "../../../core/model/index.js";
import { invalidOptionError, noMatchError } from "./transfer-errors.js";

/** Which versions to pick. */
export interface VersionSelection {
  version?: string | undefined;
  latest?: boolean | undefined;
  semver?: string | undefined;
}

/** A relaxed version (`v1.2`, `1`) as a semver string, or undefined when it is none. */
function asSemver(version: string): string | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?([-+].*)?$/.exec(version);
  if (!m) return undefined;
  return semverValid(`${m[1]}.${m[2] ?? "0"}.${m[3] ?? "0"}${m[4] ?? ""}`) ?? undefined;
}

/** The versions to transfer, ascending; throws OCM_TRANSFER_NO_MATCH when none is left. */
export async function selectVersions(
  repo: ComponentVersionRepository,
  repository: TypedSpec,
  component: string,
  selection: VersionSelection,
  signal?: AbortSignal,
): Promise<string[]> {
  if (selection.version !== undefined) {
    if (selection.latest || selection.semver !== undefined) {
      throw invalidOptionError(
        `${component}:${selection.version} names a version; --latest and --semver select among all versions`,
        "Drop the version from the reference, or drop --latest/--semver.",
      );
    }
    return [selection.version];
  }
  const range = selection.semver;
  if (range !== undefined && validRange(range) === null) {
    throw invalidOptionError(
      `${JSON.stringify(range)} is not a semver constraint`,
      'Write a range such as "^1.2", "~1.2.3" or ">=1.0.0 <2".',
    );
  }
  const all = sortVersions(
    (await repo.listComponentVersions({ repository, component }, signal ? { signal } : {})).versions,
  );
  const matching =
    range === undefined
      ? all
      : all.filter((v) => {
          const s = asSemver(v);
          return s !== undefined && semverSatisfies(s, range);
        });
  if (matching.length === 0) throw noMatchError(component, all, range);
  return selection.latest ? matching.slice(-1) : matching;
}
