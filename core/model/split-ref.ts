// The pure syntax of a reference, `[<type-or-alias>::]<spec>[//<component>[:<version>]]`, as the Go `ocm`
// CLI writes it: no knowledge of any repository type; the manager maps the parts to a typed spec.
import { parse as parseYaml } from "yaml";
import { OcmError } from "../errors.js";
import { COMPONENT_NAME_PATTERN } from "./patterns.js";

// The user-info of URLs (`scheme://user:pw@`) is masked in messages. Same rule as redactUrls in redact.ts
// (issue #10, not yet committed when this was written): switch to it once it is in.
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^/\s@"'`]*@/gi;
const redactUrls = (text: string) => text.replace(USERINFO, "$1***@");

/** A reference split into its parts; nothing is resolved yet. */
export interface SplitReference {
  /** The text before `::`: a type name or an alias, as written. */
  prefix?: string;
  /** The repository part: a spec object (JSON or YAML flow) or a bare string for the type to map. */
  spec: string | Record<string, unknown>;
  component?: string;
  version?: string;
}

/** Throws OCM_REFERENCE_INVALID; a password in the reference is masked wherever it would be shown. */
export function invalidReference(input: string, why: string, hint?: string): never {
  const ref = redactUrls(input);
  throw new OcmError({
    code: "OCM_REFERENCE_INVALID",
    message: `reference ${JSON.stringify(ref)}: ${redactUrls(why)}`,
    hint:
      hint ??
      "Write [<type>::]<repository>[//<component>[:<version>]], e.g. ./archive//acme.org/app:1.0.0, " +
        "ghcr.io/acme//acme.org/app or '<type>::<json spec>//acme.org/app'; `ocm plugin list` shows the repository types.",
    details: { reference: ref },
  });
}

const PREFIX = /^([A-Za-z0-9][A-Za-z0-9._\-/]*)::/;

/** Index just past the `}` closing the object that starts `text`, skipping quoted strings; -1 if none. */
function objectEnd(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "'") {
      // YAML single quotes: '' is a quote inside the string.
      for (i++; i < text.length; i++) {
        if (text[i] !== "'") continue;
        if (text[i + 1] === "'") i++;
        else break;
      }
    } else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function parseSpecObject(ref: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    try {
      value = parseYaml(text);
    } catch (error) {
      invalidReference(
        ref,
        `spec ${text} is neither JSON nor a YAML flow object: ${(error as Error).message}`,
      );
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    invalidReference(ref, `spec ${text} is not an object`);
  }
  return value as Record<string, unknown>;
}

/** Index of the `//` that starts the component part of a bare string, skipping a URL scheme's `://`. */
function componentSeparator(rest: string): number {
  const scheme = /^[a-z]+:\/\//i.exec(rest);
  return rest.indexOf("//", scheme ? scheme[0].length : 1);
}

function splitCoordinates(ref: string, coordinates: string): { component: string; version?: string } {
  const colon = coordinates.indexOf(":");
  const component = colon < 0 ? coordinates : coordinates.slice(0, colon);
  if (!COMPONENT_NAME_PATTERN.test(component)) {
    invalidReference(
      ref,
      `${JSON.stringify(component)} is not a component name`,
      "A component name is a domain and a path, e.g. acme.org/app.",
    );
  }
  if (colon < 0) return { component };
  const version = coordinates.slice(colon + 1);
  if (version === "" || /[\s/:]/.test(version)) {
    invalidReference(ref, `${JSON.stringify(version)} is not a version`);
  }
  return { component, version };
}

/**
 * Splits `[<type-or-alias>::]<spec>[//<component>[:<version>]]`. A spec that starts with `{` is a JSON or
 * YAML flow object and is read first, so it may contain `//` and `:`; otherwise the component part starts
 * at the first `//` that is not a URL scheme's `://`. Throws OCM_REFERENCE_INVALID with the bad value.
 */
export function splitReference(ref: string): SplitReference {
  const trimmed = ref.trim();
  const prefixMatch = PREFIX.exec(trimmed);
  const rest = prefixMatch ? trimmed.slice(prefixMatch[0].length) : trimmed;
  const prefix = prefixMatch ? { prefix: prefixMatch[1] as string } : {};
  let spec: SplitReference["spec"];
  let tail: string | undefined;
  if (rest.startsWith("{")) {
    const end = objectEnd(rest);
    if (end < 0) invalidReference(ref, "the spec object is not closed");
    spec = parseSpecObject(ref, rest.slice(0, end));
    const after = rest.slice(end);
    if (after !== "" && !after.startsWith("//")) {
      invalidReference(ref, `${JSON.stringify(after)} follows the spec object where //<component> belongs`);
    }
    tail = after === "" ? undefined : after.slice(2);
  } else {
    const sep = componentSeparator(rest);
    spec = sep < 0 ? rest : rest.slice(0, sep);
    tail = sep < 0 ? undefined : rest.slice(sep + 2);
    if (spec === "") invalidReference(ref, "names no repository");
  }
  if (tail === undefined) return { ...prefix, spec };
  return { ...prefix, spec, ...splitCoordinates(ref, tail) };
}
