// The host knows no technology (issue #12, ADR 0001): OCI, CTF and Docker names appear only in plugins/ and
// in the SDK's libraries for plugins (sdk/oci-layout, sdk/archive), never in the code of core, the host, the
// operations, the CLI or the SDK proper. Comments may name a technology as an example; code may not.
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/executables.js";

const TECHNOLOGY =
  /\b(OCIRegistry|OCIImage(Layer)?|oci(Artifact|Blob|Registry|Image)|CommonTransportFormat|DockerConfig|[Dd]ocker|ArtifactSet|artifact[- ]?sets?)\b|\b(ctf|oci)::|vnd\.oci\./g;

/** Where a technology may be named: the plugins and the SDK's libraries written for them. */
const SCANNED = ["core", "manager", "cmd", "sdk", "index.ts"];
const EXEMPT = [
  "sdk/oci-layout/",
  "sdk/archive/",
  // The table of every error code with its meaning and fix, the source of docs/errors.md: it documents
  // the codes the built-in plugins raise too, so it names their technologies in prose.
  "core/error-codes.ts",
];

/** The source text of a file without its comments (printed back from its syntax tree). */
function codeOf(text: string): string {
  const file = ts.createSourceFile("scanned.ts", text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return ts.createPrinter({ removeComments: true }).printFile(file);
}

/** Each technology name in the code of `text` (comments ignored). */
export function findTechnologyNames(text: string): string[] {
  return [...codeOf(text).matchAll(TECHNOLOGY)].map((m) => m[0]);
}

async function sourceFiles(path: string): Promise<string[]> {
  if (path.endsWith(".ts")) return [path];
  const entries = await readdir(path, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".ts")).map((e) => join(e.parentPath, e.name));
}

describe("technology names", () => {
  it("are found in code and not in comments", () => {
    expect(findTechnologyNames('const t = "OCIRegistry/v1"; // an OCIImage\n')).toEqual(["OCIRegistry"]);
    expect(findTechnologyNames("/* ctf::./a */ const ref = `ctf::${path}`;")).toEqual(["ctf::"]);
    expect(findTechnologyNames('readDockerConfig("~/.docker/config.json")')).toEqual(["docker"]);
    expect(findTechnologyNames('const m = "application/vnd.oci.image.manifest.v1+json";')).toEqual([
      "vnd.oci.",
    ]);
    expect(findTechnologyNames("// ociArtifact is an example only\nexport const x = 1;\n")).toEqual([]);
  });

  it("appear nowhere in core, the host, the operations, the CLI or the SDK proper", async () => {
    const found: string[] = [];
    for (const top of SCANNED) {
      for (const file of await sourceFiles(join(REPO_ROOT, top))) {
        const path = relative(REPO_ROOT, file);
        if (EXEMPT.some((prefix) => path === prefix || path.startsWith(prefix))) continue;
        const names = findTechnologyNames(await readFile(file, "utf8"));
        if (names.length > 0) found.push(`${path}: ${[...new Set(names)].join(", ")}`);
      }
    }
    expect(found).toEqual([]);
  });
});
