// Reads component versions from a repository: one version, all versions of a component, every version of
// every component (through its componentLister), and with `recursive` every component version they
// reference, from the same repository or, failing that, from the `lookup` repositories in order.
import { OcmError, isOcmError, type TypedSpec, type WireDescriptor } from "../../core/index.js";
import { sortVersions } from "../../core/model/index.js";
import type { CapabilityProvider } from "../../core/index.js";
import { listComponents } from "./list-components.js";
import { createComponentVersionLookup } from "./lookup-component-version.js";

export interface GetComponentVersionsOptions {
  repository: TypedSpec;
  /** Without a component every component of the repository is read (it needs a componentLister). */
  component?: string | undefined;
  /** Without a version every version of the component is read. */
  version?: string | undefined;
  recursive?: boolean;
  /** Repositories asked, in order, for referenced versions the repository does not hold. */
  lookup?: readonly TypedSpec[] | undefined;
}

/** A component version's coordinates. */
export interface ComponentVersionKey {
  component: string;
  version: string;
}

/** One component version of the graph. */
export interface FoundComponentVersion {
  descriptor: WireDescriptor;
  /** The repository it was read from. */
  repository: TypedSpec;
  /** The versions it references, in descriptor order (followed only with `recursive`). */
  references: (ComponentVersionKey & { name?: string })[];
}

/** The versions asked for (`roots`) and, with `recursive`, the graph below them, each version once. */
export interface ComponentVersionGraph {
  roots: ComponentVersionKey[];
  /** Referenced versions after their referrers (breadth first). */
  versions: FoundComponentVersion[];
}

/** A version to read; for a reference, who references it. */
export interface Pending extends ComponentVersionKey {
  /** `name:version` of the component version that references this one, when it is a reference. */
  referrer?: string;
  /** The reference's own name in the referrer. */
  name?: string;
}

/** The descriptors asked for, referenced ones after their referrers, each once. */
export async function getComponentVersions(
  manager: CapabilityProvider,
  options: GetComponentVersionsOptions,
): Promise<WireDescriptor[]> {
  return (await findComponentVersions(manager, options)).versions.map((v) => v.descriptor);
}

/** The component versions asked for and what they reference, with where each was found. */
export async function findComponentVersions(
  manager: CapabilityProvider,
  options: GetComponentVersionsOptions,
): Promise<ComponentVersionGraph> {
  const repo = await manager.getPlugin(options.repository.type, "componentVersionRepository");
  const lookup = await createComponentVersionLookup(manager, [options.repository, ...(options.lookup ?? [])]);
  const components =
    options.component === undefined ? await listComponents(manager, options.repository) : [options.component];
  const roots: ComponentVersionKey[] = [];
  for (const component of components) {
    const versions =
      options.version !== undefined
        ? [options.version]
        : sortVersions(
            (await repo.listComponentVersions({ repository: options.repository, component })).versions,
          );
    roots.push(...versions.map((version) => ({ component, version })));
  }
  const queue: Pending[] = [...roots];
  const seen = new Set<string>();
  const out: FoundComponentVersion[] = [];
  while (queue.length) {
    const next = queue.shift() as Pending;
    const key = `${next.component}:${next.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // Roots come from the repository named; only references fall back to the lookup repositories.
    const found = await (next.referrer === undefined
      ? repo
          .getComponentVersion({ repository: options.repository, ...next })
          .then(({ descriptor }) => ({ descriptor, repository: options.repository }))
      : lookup.find(next.component, next.version).catch((error: unknown) => {
          throw referenceError(error, next);
        }));
    const refs = (found.descriptor.component.componentReferences ?? []) as {
      componentName: string;
      version: string;
      name?: string;
    }[];
    const references = refs.map((ref) => ({
      component: ref.componentName,
      version: ref.version,
      ...(ref.name === undefined ? {} : { name: ref.name }),
    }));
    out.push({ descriptor: found.descriptor, repository: found.repository, references });
    if (options.recursive) {
      const referrer = `${found.descriptor.component.name}:${found.descriptor.component.version}`;
      queue.push(...references.map((ref) => ({ ...ref, referrer })));
    }
  }
  return { roots, versions: out };
}

/** A failed read of a referenced version names the version that references it; the cause says why. */
export function referenceError(error: unknown, ref: Pending): unknown {
  if (!isOcmError(error)) return error;
  const named = ref.name === undefined ? "" : ` (reference ${JSON.stringify(ref.name)})`;
  return new OcmError({
    code: error.code,
    message: `${ref.referrer} references ${ref.component}:${ref.version}${named}, which cannot be read`,
    hint: lookupHint(error, ref),
    details: { ...error.details, referrer: ref.referrer, component: ref.component, version: ref.version },
    cause: error,
  });
}

function lookupHint(error: OcmError, ref: Pending): string {
  const lookup = `Or name a repository that holds ${ref.component}:${ref.version} with --lookup <repository>.`;
  if (error.code !== "OCM_REPOSITORY_NOT_FOUND" || error.hint?.includes("--lookup")) {
    return error.hint ?? `Add ${ref.component}:${ref.version} to the repository, or fix the reference.`;
  }
  return error.hint ? `${error.hint} ${lookup}` : lookup;
}
