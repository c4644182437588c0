// Versions in the plugin contract: the spec's own regular expression, agreeing with npm's semver.
import semver from "semver";
import { describe, expect, it } from "vitest";
import { isProtocolCompatible, isSemver, semverMajor } from "../../../core/protocol/version.js";

const VERSIONS = [
  "1.0.0",
  "0.0.0",
  "10.20.30",
  "1.1.2-prerelease+meta",
  "1.0.0-alpha.beta.1",
  "1.0.0-0A.is.legal",
  "1.2.3+build.5",
  "v1.2.3",
  "=1.2.3",
  " 1.2.3 ",
  "1.2",
  "1",
  "01.1.1",
  "1.01.1",
  "1.2.3-01",
  "1.2.3.4",
  "1.2.3-",
  "1.2.3+",
  "latest",
  "",
];

describe("contract versions", () => {
  it("are semantic versions exactly when npm's semver says so", () => {
    for (const version of VERSIONS)
      expect([version, isSemver(version)]).toEqual([version, semver.valid(version) !== null]);
  });

  it("have the major version npm's semver reads", () => {
    for (const version of VERSIONS.filter((v) => semver.valid(v)))
      expect(semverMajor(version)).toBe(semver.major(version));
  });

  it("are compatible when the major versions match", () => {
    expect(isProtocolCompatible("1.4.0", "1.0.0")).toBe(true);
    expect(isProtocolCompatible("1.0.0-rc.1", "1.0.0")).toBe(true);
    expect(isProtocolCompatible("2.0.0", "1.0.0")).toBe(false);
    expect(isProtocolCompatible("0.9.0", "1.0.0")).toBe(false);
    expect(isProtocolCompatible("one", "1.0.0")).toBe(false);
  });
});
