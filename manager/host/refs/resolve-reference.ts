// Resolves command-line references against the repository types plugins declare: built-in plugins first,
// discovery of external plugins only when the reference names a type no built-in plugin serves, or when the
// configuration lets external plugins win (`prefer: external`), as the registry's lookup does.
import type { CapabilitiesDocument, TypedSpec } from "../../../core/index.js";
import {
  creatableSpec,
  referenceTypesOf,
  refuseComponent,
  resolveRepositorySpec,
  splitReference,
  unknownReferenceType,
  type ComponentRef,
  type ReferenceType,
} from "../../../core/model/index.js";
import type { PluginManager } from "../plugin-manager.js";

/** What resolving needs of a manager; `builtinsDecide` absent means the built-ins decide. */
type ReferenceManager = Pick<PluginManager, "list"> & Partial<Pick<PluginManager, "builtinsDecide">>;

export interface ResolveReferenceOptions {
  /** Capabilities documents of the built-in plugins; references they resolve need no discovery. */
  builtins?: readonly CapabilitiesDocument[];
  /** The repository is written and may be created when missing, in `format` if given (see `creatableSpec`). */
  create?: { format?: string | undefined } | undefined;
}

/** The documents of every usable plugin, in the registry's order (built-ins first). */
async function knownDocuments(manager: Pick<PluginManager, "list">): Promise<CapabilitiesDocument[]> {
  const entries = await manager.list();
  return entries.flatMap((entry) => (entry.state === "ok" && entry.document ? [entry.document] : []));
}

/**
 * Parses `[<type-or-alias>::]<spec>[//<component>[:<version>]]` into a repository spec of the canonical
 * type and the component coordinates. Throws OCM_REFERENCE_INVALID for bad syntax, and for an unknown type
 * with the list of known repository types.
 */
export async function resolveComponentReference(
  manager: ReferenceManager,
  ref: string,
  options: ResolveReferenceOptions = {},
): Promise<ComponentRef> {
  const split = splitReference(ref);
  const coordinates = {
    ...(split.component === undefined ? {} : { component: split.component }),
    ...(split.version === undefined ? {} : { version: split.version }),
  };
  if (options.builtins && ((await manager.builtinsDecide?.()) ?? true)) {
    const types = referenceTypesOf(options.builtins);
    const repository = resolveRepositorySpec(ref, split, types);
    if (repository) return { repository: forWriting(repository, types, options), ...coordinates };
  }
  const types = referenceTypesOf(await knownDocuments(manager));
  const repository = resolveRepositorySpec(ref, split, types) ?? unknownReferenceType(ref, split, types);
  return { repository: forWriting(repository, types, options), ...coordinates };
}

const forWriting = (spec: TypedSpec, types: readonly ReferenceType[], options: ResolveReferenceOptions) =>
  options.create ? creatableSpec(spec, types, options.create.format) : spec;

/** Resolves a repository reference: one with no `//<component>` part. */
export async function resolveRepositoryReference(
  manager: ReferenceManager,
  ref: string,
  options: ResolveReferenceOptions = {},
): Promise<TypedSpec> {
  const parsed = await resolveComponentReference(manager, ref, options);
  if (parsed.component !== undefined) refuseComponent(ref, parsed.component);
  return parsed.repository;
}
