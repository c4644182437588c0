// Reads descriptor text (YAML or JSON, v2 or v3alpha1) into a validated v2 descriptor, with errors that
// name the source, the dot path of the bad field and what was expected.
import { parse } from "yaml";
import type { z } from "zod";
import { OcmError } from "../errors.js";
import { convertV3alpha1ToV2 } from "./convert-v3alpha1.js";
import { componentDescriptorSchema, type ComponentDescriptor } from "./schema-v2.js";
import { componentDescriptorV3alpha1Schema, type ComponentDescriptorV3alpha1 } from "./schema-v3alpha1.js";

/** Options of `parseDescriptor`. */
export interface ParseDescriptorOptions {
  /** Where the text came from (a file name, a reference); shown in errors. */
  source?: string | undefined;
}

const HINT =
  "A component descriptor has meta.schemaVersion: v2 and a component with name, version, provider, " +
  "repositoryContexts, resources, sources and componentReferences (or apiVersion: ocm.software/v3alpha1).";

function fail(source: string, message: string, details: Record<string, unknown>, cause?: unknown): never {
  throw new OcmError({
    code: "OCM_DESCRIPTOR_INVALID",
    message: `${source}: ${message}`,
    hint: HINT,
    details: { source, ...details },
    cause,
  });
}

function describeValue(value: unknown): string {
  if (value === undefined) return "missing";
  const text = JSON.stringify(value) ?? String(value);
  return `got ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur = root;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function validate<S extends z.ZodType>(schema: S, raw: unknown, source: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.length ? issue.path.map(String).join(".") : "(root)";
  const value = issue ? valueAt(raw, issue.path) : raw;
  fail(source, `field ${path} ${issue?.message ?? "is invalid"} (${describeValue(value)})`, { path });
}

function decodeText(input: string | Uint8Array, source: string): unknown {
  const text = typeof input === "string" ? input : new TextDecoder().decode(input);
  try {
    // YAML 1.2 core schema: timestamps and quoted versions such as "1.0" stay strings. JSON is YAML.
    return parse(text, { schema: "core", prettyErrors: true });
  } catch (error) {
    return fail(source, `not valid YAML or JSON: ${(error as Error).message.split("\n")[0]}`, {}, error);
  }
}

/**
 * Parses a descriptor in the schema version it is written in: v2, or v3alpha1 (recognised by `apiVersion`).
 * Throws OCM_DESCRIPTOR_INVALID naming the source and the dot path of the first bad field.
 */
export function parseDescriptorDocument(
  input: string | Uint8Array,
  options: ParseDescriptorOptions = {},
): ComponentDescriptor | ComponentDescriptorV3alpha1 {
  const source = options.source ?? "component descriptor";
  const raw = decodeText(input, source);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    fail(source, `must be a mapping with meta and component (${describeValue(raw)})`, { path: "(root)" });
  }
  if ("apiVersion" in raw) return validate(componentDescriptorV3alpha1Schema, raw, source);
  return validate(componentDescriptorSchema, raw, source);
}

/** True when a parsed descriptor is in the v3alpha1 form. */
export function isV3alpha1Descriptor(
  cd: ComponentDescriptor | ComponentDescriptorV3alpha1,
): cd is ComponentDescriptorV3alpha1 {
  return "apiVersion" in cd;
}

/**
 * Parses YAML or JSON descriptor text, v2 or v3alpha1, and returns the v2 form.
 * Throws OCM_DESCRIPTOR_INVALID with the source, the dot path (e.g. `component.resources.0.name`) and
 * what is expected.
 */
export function parseDescriptor(
  input: string | Uint8Array,
  options: ParseDescriptorOptions = {},
): ComponentDescriptor {
  const cd = parseDescriptorDocument(input, options);
  return isV3alpha1Descriptor(cd) ? convertV3alpha1ToV2(cd) : cd;
}
