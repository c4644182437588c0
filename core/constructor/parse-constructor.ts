// Reads a constructor file's text into validated components, with errors naming the file and dot path.
import { parse } from "yaml";
import { OcmError } from "../errors.js";
import { findDuplicateIdentity, formatIdentity } from "../model/identity.js";
import { componentConstructorSchema, type ComponentConstructor } from "./schema.js";

export function parseConstructor(text: string, options: { source?: string } = {}): ComponentConstructor {
  const source = options.source ?? "constructor";
  let raw: unknown;
  try {
    raw = parse(text, { schema: "core", prettyErrors: true });
  } catch (error) {
    throw new OcmError({
      code: "OCM_CONSTRUCTOR_INVALID",
      message: `${source}: not valid YAML: ${(error as Error).message.split("\n")[0]}`,
      hint: "Fix the YAML syntax at the line shown.",
      cause: error,
    });
  }
  if (raw === null || raw === undefined) {
    throw new OcmError({
      code: "OCM_CONSTRUCTOR_INVALID",
      message: `${source}: the constructor is empty`,
      hint: "A constructor lists `components:` each with name, version, provider and resources (input or access).",
      details: { source, path: "(root)" },
    });
  }
  const wrapped =
    raw && typeof raw === "object" && !Array.isArray(raw) && !("components" in raw)
      ? { components: [raw] }
      : raw;
  const result = componentConstructorSchema.safeParse(wrapped);
  if (result.success) {
    refuseDuplicates(result.data, source);
    return result.data;
  }
  const issue = result.error.issues[0];
  const path = issue?.path.length ? issue.path.join(".") : "(root)";
  throw new OcmError({
    code: "OCM_CONSTRUCTOR_INVALID",
    message: `${source}: field ${path}: ${issue?.message ?? "invalid"}`,
    hint: "A constructor lists `components:` each with name, version, provider and resources (input or access).",
    details: { source, path },
  });
}

interface Entry {
  path: string;
  name: string;
  version?: unknown;
  extraIdentity?: unknown;
}

function duplicateError(source: string, entries: Entry[], what: string): OcmError | undefined {
  const found = findDuplicateIdentity(entries);
  if (!found) return undefined;
  const first = entries[found.first] as Entry;
  const second = entries[found.second] as Entry;
  return new OcmError({
    code: "OCM_CONSTRUCTOR_INVALID",
    message: `${source}: ${first.path} and ${second.path} are ${what} with the same identity ${formatIdentity(found.identity)}; neither could be addressed`,
    hint: "Rename one, or tell them apart with extraIdentity (e.g. extraIdentity: {os: linux}) or another version.",
    details: { source, path: second.path, paths: [first.path, second.path], identity: found.identity },
  });
}

/**
 * Refuses two component versions of the same name and version, and two resources, sources or references
 * of one component with the same identity (name, extraIdentity and version, which defaults to the
 * component's): no selector could address either one once stored.
 */
function refuseDuplicates(constructor: ComponentConstructor, source: string): void {
  const components: Entry[] = constructor.components.map((c, i) => ({
    path: `components.${i}`,
    name: c.name,
    version: c.version,
  }));
  const error = duplicateError(source, components, "component versions");
  if (error) throw error;
  constructor.components.forEach((component, i) => {
    const elements = (
      list: string,
      items: { name: string; version?: unknown; extraIdentity?: unknown }[] = [],
    ) =>
      items.map((item, j) => ({
        path: `components.${i}.${list}.${j}`,
        name: item.name,
        version: item.version ?? component.version,
        extraIdentity: item.extraIdentity,
      }));
    const lists: [Entry[], string][] = [
      [elements("resources", component.resources), "resources"],
      [elements("sources", component.sources), "sources"],
      [
        [
          ...elements("componentReferences", component.componentReferences),
          ...elements("references", component.references),
        ],
        "references",
      ],
    ];
    for (const [entries, what] of lists) {
      const duplicate = duplicateError(source, entries, what);
      if (duplicate) throw duplicate;
    }
  });
}
