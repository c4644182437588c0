// Maps a split reference to a typed repository spec using what repository types declare in their
// capabilities documents (`aliases`, `references`): no repository technology is known here.
import type { CapabilitiesDocument, ReferenceSyntax } from "../protocol/capabilities.js";
import type { TypedSpec } from "../protocol/common.js";
import { invalidReference, type SplitReference } from "./split-ref.js";

/** A repository type as references see it: its canonical name, aliases and reference syntax. */
export interface ReferenceType {
  type: string;
  aliases: string[];
  syntax?: ReferenceSyntax;
}

/** The repository types (those serving componentVersionRepository) the documents declare, in order. */
export function referenceTypesOf(documents: readonly CapabilitiesDocument[]): ReferenceType[] {
  return documents.flatMap((document) =>
    Object.entries(document.type)
      .filter(([, caps]) => caps.includes("componentVersionRepository"))
      .map(([type]) => {
        const syntax = document.references?.[type];
        return { type, aliases: document.aliases?.[type] ?? [], ...(syntax ? { syntax } : {}) };
      }),
  );
}

/** The type a prefix names: an exact canonical name first, then an alias, in declaration order. */
export function findReferenceType(types: readonly ReferenceType[], name: string): ReferenceType | undefined {
  return types.find((t) => t.type === name) ?? types.find((t) => t.aliases.includes(name));
}

const whole = (pattern: string) => new RegExp(`^(?:${pattern})$`, "i");

function fill(template: string, groups: Record<string, string | undefined>): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => groups[name] ?? "");
}

/** The spec a bare string stands for in `type`: refusals first, then forms in order, then `field`. */
function mapBareString(ref: string, type: ReferenceType, bare: string): TypedSpec {
  const syntax = type.syntax ?? {};
  for (const rule of syntax.refuse ?? []) {
    const match = whole(rule.pattern).exec(bare);
    if (match) invalidReference(ref, fill(rule.message, { ...match.groups, value: bare }), rule.hint);
  }
  for (const form of syntax.forms ?? []) {
    const match = whole(form.pattern).exec(bare);
    if (!match) continue;
    const spec: TypedSpec = { type: type.type };
    for (const [field, template] of Object.entries(form.spec)) {
      const value = fill(template, match.groups ?? {});
      if (value !== "") spec[field] = value;
    }
    return spec;
  }
  if (syntax.field) return { type: type.type, [syntax.field]: bare };
  const form = syntax.syntax ? `${type.type}::${syntax.syntax} or ` : "";
  invalidReference(
    ref,
    syntax.forms?.length
      ? `${JSON.stringify(bare)} is not a ${type.type} repository${syntax.syntax ? ` (${syntax.syntax})` : ""}`
      : `type ${type.type} takes no bare string, only a spec object`,
    `Write ${form}${type.type}::{<spec as JSON>}.`,
  );
}

/** The type whose declared guess with the highest priority matches a prefix-less repository string. */
export function guessReferenceType(types: readonly ReferenceType[], bare: string): ReferenceType | undefined {
  let best: { type: ReferenceType; priority: number } | undefined;
  for (const type of types) {
    for (const guess of type.syntax?.guess ?? []) {
      if (best && best.priority >= guess.priority) continue;
      if (whole(guess.pattern).test(bare)) best = { type, priority: guess.priority };
    }
  }
  return best?.type;
}

/**
 * The repository spec of a split reference, or undefined when the types given do not include the one it
 * names (or, without prefix, none claims it): the caller may look further (discovery) and ask again.
 * A spec object gets the canonical type; a spec object without prefix must carry its own `type`.
 */
export function resolveRepositorySpec(
  ref: string,
  split: SplitReference,
  types: readonly ReferenceType[],
): TypedSpec | undefined {
  const { prefix, spec } = split;
  if (typeof spec !== "string") {
    const name = prefix ?? (typeof spec["type"] === "string" ? spec["type"] : undefined);
    if (name === undefined) invalidReference(ref, "the spec object has no type", "Write <type>::{...}.");
    const type = findReferenceType(types, name);
    return type && { ...spec, type: type.type };
  }
  const type = prefix === undefined ? guessReferenceType(types, spec) : findReferenceType(types, prefix);
  return type && mapBareString(ref, type, spec);
}

/** OCM_REFERENCE_INVALID for a type no plugin serves, listing the known ones. */
export function unknownReferenceType(
  ref: string,
  split: SplitReference,
  types: readonly ReferenceType[],
): never {
  const named =
    split.prefix ?? (typeof split.spec === "string" ? undefined : (split.spec["type"] as string | undefined));
  const known = types.map((t) => (t.aliases.length ? `${t.type} (${t.aliases.join(", ")})` : t.type));
  invalidReference(
    ref,
    named === undefined ? "no repository type claims it" : `unknown repository type ${JSON.stringify(named)}`,
    `Known repository types: ${known.join("; ") || "none"}. \`ocm plugin list\` shows the plugins and the types they serve.`,
  );
}
