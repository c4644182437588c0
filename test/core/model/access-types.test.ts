import { describe, expect, it } from "vitest";
import { canonicalAccessType, isNoneAccess } from "../../../core/model/index.js";

describe("access types", () => {
  it("maps legacy spellings to the canonical type", () => {
    expect(canonicalAccessType("localBlob")).toBe("LocalBlob/v1");
    expect(canonicalAccessType("localBlob/v1")).toBe("LocalBlob/v1");
    expect(canonicalAccessType("ociArtifact")).toBe("OCIImage/v1");
    expect(canonicalAccessType("ociArtifact/v1")).toBe("OCIImage/v1");
    expect(canonicalAccessType("ociRegistry")).toBe("OCIImage/v1");
    expect(canonicalAccessType("ociBlob")).toBe("OCIImageLayer/v1");
    expect(canonicalAccessType("None")).toBe("none");
    expect(canonicalAccessType("acme.org/custom")).toBeUndefined();
  });

  it("recognises accesses without content", () => {
    expect(isNoneAccess({ type: "none" })).toBe(true);
    expect(isNoneAccess({ type: "None" })).toBe(true);
    expect(isNoneAccess({ type: "localBlob" })).toBe(false);
    expect(isNoneAccess(undefined)).toBe(false);
  });
});
