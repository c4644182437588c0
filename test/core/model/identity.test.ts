import { describe, expect, it } from "vitest";
import { isOcmError } from "../../../core/errors.js";
import {
  elementIdentity,
  identityMatches,
  parseDescriptor,
  parseIdentity,
  sortVersions,
} from "../../../core/model/index.js";
import { descriptorLayers } from "./fixtures.js";

describe("elementIdentity", () => {
  const layer = descriptorLayers().find((l) => l.ctf === "ctf-v0.18-extraidentity");
  const cd = parseDescriptor(layer?.bytes ?? "");

  it("adds the version only where name and extra identity are not unique (Go 0.18 layer annotations)", () => {
    const resources = cd.component.resources;
    expect(resources.map((r) => elementIdentity(r, resources))).toEqual([
      { name: "multi-implicit", version: "v1" },
      { name: "multi-implicit", version: "v2" },
      { name: "multi-explicit", version: "v1" },
      { name: "multi-explicit", version: "v2" },
    ]);
    expect(resources.map((r) => Object.keys(elementIdentity(r, resources)))).toEqual([
      ["name", "version"],
      ["name", "version"],
      ["name", "version"],
      ["name", "version"],
    ]);
  });

  it("is name plus extra identity for a unique element", () => {
    const a = { name: "cli", version: "1", extraIdentity: { os: "linux" } };
    const b = { name: "cli", version: "1", extraIdentity: { os: "darwin" } };
    expect(elementIdentity(a, [a, b])).toEqual({ name: "cli", os: "linux" });
    expect(elementIdentity(a, [])).toEqual({ name: "cli", os: "linux" });
  });
});

describe("parseIdentity and identityMatches", () => {
  it("parses name=x,k=v", () => {
    expect(parseIdentity("name=image,os=linux")).toEqual({ name: "image", os: "linux" });
    expect(parseIdentity("image,version=v1")).toEqual({ name: "image", version: "v1" });
  });

  for (const bad of ["name=x,=y", "name=x,,os=linux", "name=x,os", ""]) {
    it(`refuses ${JSON.stringify(bad)} with OCM_IDENTITY_INVALID`, () => {
      try {
        parseIdentity(bad);
        expect.unreachable();
      } catch (error) {
        expect(isOcmError(error) && error.code).toBe("OCM_IDENTITY_INVALID");
        expect((error as Error).message).toContain(JSON.stringify(bad));
      }
    });
  }

  it("matches when every selector key has the same value", () => {
    const id = { name: "cli", os: "linux", architecture: "amd64" };
    expect(identityMatches(id, { name: "cli", os: "linux" })).toBe(true);
    expect(identityMatches(id, { name: "cli", os: "darwin" })).toBe(false);
    expect(identityMatches(id, { version: "1" })).toBe(false);
    expect(identityMatches(id, {})).toBe(true);
  });
});

describe("sortVersions", () => {
  it("orders semver-ish versions by precedence and others lexically after them", () => {
    expect(
      sortVersions(["v1.10.0", "1.2", "latest", "1.2.1-rc.1", "v1.9", "1.2.1", "0.1.0", "abc", "v2"]),
    ).toEqual(["0.1.0", "1.2", "1.2.1-rc.1", "1.2.1", "v1.9", "v1.10.0", "v2", "abc", "latest"]);
  });

  it("does not change its input", () => {
    const input = ["2.0.0", "1.0.0"];
    expect(sortVersions(input)).toEqual(["1.0.0", "2.0.0"]);
    expect(input).toEqual(["2.0.0", "1.0.0"]);
  });
});
