// docs/plugin-authors.md is enough on its own (#11): the complete plugin it shows inline is the fixture
// test/fixtures/plugins/minimal/dir_repository.py, byte for byte, and that fixture passes `ocm plugin verify`.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ocmCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/executables.js";
import { MINIMAL_PLUGIN } from "../helpers/minimal-plugin.js";

const MARKER = "<!-- minimal-plugin: test/fixtures/plugins/minimal/dir_repository.py -->\n```python\n";

/** The code block that follows the marker comment in the doc. */
async function inlinePlugin(): Promise<string> {
  const doc = await readFile(join(REPO_ROOT, "docs/plugin-authors.md"), "utf8");
  const start = doc.indexOf(MARKER);
  expect(start, "the doc marks its inline plugin").toBeGreaterThanOrEqual(0);
  const code = doc.slice(start + MARKER.length);
  return code.slice(0, code.indexOf("```\n"));
}

describe("the complete plugin in docs/plugin-authors.md (#11)", () => {
  it("is the minimal plugin fixture, byte for byte, under 120 lines", async () => {
    const fixture = await readFile(MINIMAL_PLUGIN, "utf8");
    expect(await inlinePlugin()).toBe(fixture);
    expect(fixture.trimEnd().split("\n").length).toBeLessThan(120);
  });

  it("passes ocm plugin verify, blob round trips included", { timeout: 120_000 }, async () => {
    const ocm = await ocmCli();
    const result = await ocm("plugin", "verify", MINIMAL_PLUGIN);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/transfer componentVersionRepository DirRepository\/v1\s+PASS/);
    expect(result.stdout).toMatch(/connections\s+PASS/);
  });
});
