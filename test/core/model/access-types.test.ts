import { describe, expect, it } from "vitest";
import { canonicalAccessType, isNoneAccess } from "../../../core/model/index.js";

describe("access types", () => {
  it("maps legacy spellings to the canonical type", () => {
    expect(canonicalAccessType("localBlob")).toBe("LocalBlob/v1");
    expect(canonicalAccessType("localBlob/v1")).toBe("LocalBlob/v1");
    expect(canonicalAccessType("LocalBlob")).toBe("LocalBlob/v1");
    expect(canonicalAccessType("None")).toBe("none");
    expect(canonicalAccessType("acme.org/custom")).toBeUndefined();
    // A technology's access types are its plugin's to declare, aliases included.
    expect(canonicalAccessType("ociArtifact")).toBeUndefined();
  });

  it("recognises accesses without content", () => {
    expect(isNoneAccess({ type: "none" })).toBe(true);
    expect(isNoneAccess({ type: "None" })).toBe(true);
    expect(isNoneAccess({ type: "localBlob" })).toBe(false);
    expect(isNoneAccess(undefined)).toBe(false);
  });
});
