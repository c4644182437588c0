import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../core/index.js";
import { REPO_ROOT } from "../helpers/executables.js";

function documentedCodes(): string[] {
  const text = readFileSync(join(REPO_ROOT, "docs", "errors.md"), "utf8");
  return [...text.matchAll(/^\| `(OCM_[A-Z0-9_]+)` \|/gm)].map((match) => match[1] as string);
}

describe("docs/errors.md", () => {
  it("lists every defined error code exactly once and no undefined one", () => {
    const documented = documentedCodes();
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });
});
