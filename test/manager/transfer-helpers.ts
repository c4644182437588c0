// Builds source CTFs for the transfer tests from constructor YAML, and reads a CTF directory's files back.
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  createPluginManager,
  type PluginManager,
  type PluginRegistration,
  type TypedSpec,
} from "../../index.js";
import { addComponentVersions } from "../../manager/operations/add-component-versions.js";
import { useTempDir } from "../helpers/temp-dir.js";

/** A manager with the built-in plugins, isolated from the user's plugins and caches. */
export async function testManager(builtins?: PluginRegistration[]): Promise<PluginManager> {
  const home = await useTempDir();
  return createPluginManager({ home, env: {}, cacheFile: false, ...(builtins ? { builtins } : {}) });
}

/** A CTF spec that is created on first write. */
export const ctf = (filePath: string, fileFormat = "directory"): TypedSpec => ({
  type: "CommonTransportFormat/v1",
  filePath,
  accessMode: "create",
  fileFormat,
});

/** Writes `yaml` as a constructor (with `files` beside it) and adds its component versions to a new CTF. */
export async function buildCtf(
  manager: PluginManager,
  path: string,
  yaml: string,
  files: Record<string, string> = {},
): Promise<TypedSpec> {
  const dir = await useTempDir();
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  await writeFile(join(dir, "constructor.yaml"), yaml);
  const repository = ctf(path);
  await addComponentVersions(manager, {
    repository,
    constructorPath: join(dir, "constructor.yaml"),
    now: new Date("2026-01-01T00:00:00Z"),
  });
  return repository;
}

/** A constructor component with one utf8 resource per entry of `texts`. */
export function component(
  name: string,
  version: string,
  texts: Record<string, string>,
  references: { name: string; componentName: string; version: string }[] = [],
): string {
  const resources = Object.entries(texts)
    .map(
      ([n, text]) =>
        `      - {name: ${n}, type: plainText, input: {type: utf8, text: ${JSON.stringify(text)}}}`,
    )
    .join("\n");
  const refs = references
    .map((r) => `      - {name: ${r.name}, componentName: ${r.componentName}, version: ${r.version}}`)
    .join("\n");
  return [
    `  - name: ${name}`,
    `    version: ${version}`,
    `    provider: {name: acme.org}`,
    `    resources:`,
    resources || "      []",
    ...(refs ? ["    componentReferences:", refs] : []),
  ].join("\n");
}

/** A constructor file of the given components. */
export const constructor = (...components: string[]) => `components:\n${components.join("\n")}\n`;

export const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/** The bytes of a blob in a CTF directory. */
export const readBlob = (ctfDir: string, digest: string) =>
  readFile(join(ctfDir, "blobs", digest.replace(":", ".")));
