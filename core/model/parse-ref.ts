// Turns `[<type-or-alias>::]<spec>[//<component>[:<version>]]` references into repository specs and
// component coordinates, given the repository types the plugins declare (see resolve-ref.ts).
import type { TypedSpec } from "../protocol/common.js";
import {
  findReferenceType,
  resolveRepositorySpec,
  unknownReferenceType,
  type ReferenceType,
} from "./resolve-ref.js";
import { invalidReference, splitReference } from "./split-ref.js";

/** A parsed component reference. */
export interface ComponentRef {
  repository: TypedSpec;
  component?: string;
  version?: string;
}

/**
 * Parses a reference with the repository types given (e.g. `referenceTypesOf(documents)`): the prefix is
 * a type name or alias; a bare string is mapped by the type's declared forms or field; without prefix the
 * type is the one whose declared guess matches with the highest priority. Throws OCM_REFERENCE_INVALID
 * with the bad value, and for a type not among `types` with the list of known ones.
 */
export function parseComponentRef(ref: string, types: readonly ReferenceType[]): ComponentRef {
  const split = splitReference(ref);
  const repository = resolveRepositorySpec(ref, split, types) ?? unknownReferenceType(ref, split, types);
  return {
    repository,
    ...(split.component === undefined ? {} : { component: split.component }),
    ...(split.version === undefined ? {} : { version: split.version }),
  };
}

/** Parses a repository reference: one with no `//<component>` part. */
export function parseRepositoryRef(ref: string, types: readonly ReferenceType[]): { repository: TypedSpec } {
  const parsed = parseComponentRef(ref, types);
  if (parsed.component !== undefined) refuseComponent(ref, parsed.component);
  return { repository: parsed.repository };
}

/** OCM_REFERENCE_INVALID for a component part where only a repository is expected. */
export function refuseComponent(ref: string, component: string): never {
  invalidReference(
    ref,
    `names component ${JSON.stringify(component)} where only a repository is expected`,
    "Drop the //<component> part.",
  );
}

/**
 * The spec of a repository a command may create when it is missing: the fields its type declares for that
 * (`references.<type>.create`) are added where the spec has none, `{format}` replaced by `format` (fields
 * left empty are dropped). A type that declares none is returned as it is.
 */
export function creatableSpec(spec: TypedSpec, types: readonly ReferenceType[], format?: string): TypedSpec {
  const create = findReferenceType(types, spec.type)?.syntax?.create;
  if (create === undefined) return spec;
  const added: Record<string, string> = {};
  for (const [field, template] of Object.entries(create)) {
    const value = template.replace(/\{format\}/g, format ?? "");
    if (value !== "" && spec[field] === undefined) added[field] = value;
  }
  return { ...added, ...spec };
}
