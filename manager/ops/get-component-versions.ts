// Reads component versions from a repository: one version, all versions of a component, and with
// `recursive` every component version they reference (from the same repository).
import { OcmError, isOcmError, type TypedSpec, type WireDescriptor } from "../../core/index.js";
import { sortVersions } from "../../core/model/index.js";
import type { PluginManager } from "../plugin-manager.js";

export interface GetComponentVersionsOptions {
  repository: TypedSpec;
  component: string;
  /** Without a version every version of the component is read. */
  version?: string | undefined;
  recursive?: boolean;
}

interface Reference {
  componentName: string;
  version: string;
}

interface Pending extends Reference {
  /** `name:version` of the component version that references this one, when it is a reference. */
  referrer?: string;
  /** The reference's own name in the referrer. */
  name?: string;
}

/** The descriptors asked for, referenced ones after their referrers, each once. */
export async function getComponentVersions(
  manager: PluginManager,
  options: GetComponentVersionsOptions,
): Promise<WireDescriptor[]> {
  const repo = await manager.getPlugin(options.repository.type, "componentVersionRepository");
  const versions = options.version
    ? [options.version]
    : sortVersions(
        (await repo.listComponentVersions({ repository: options.repository, component: options.component }))
          .versions,
      );
  const queue: Pending[] = versions.map((version) => ({ componentName: options.component, version }));
  const seen = new Set<string>();
  const out: WireDescriptor[] = [];
  while (queue.length) {
    const next = queue.shift() as Pending;
    const key = `${next.componentName}:${next.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const { descriptor } = await repo
      .getComponentVersion({
        repository: options.repository,
        component: next.componentName,
        version: next.version,
      })
      .catch((error: unknown) => {
        throw next.referrer === undefined ? error : referenceError(error, next);
      });
    out.push(descriptor);
    if (options.recursive) {
      const refs = (descriptor.component.componentReferences ?? []) as (Reference & { name?: string })[];
      queue.push(
        ...refs.map((ref) => ({
          componentName: ref.componentName,
          version: ref.version,
          referrer: `${descriptor.component.name}:${descriptor.component.version}`,
          ...(ref.name === undefined ? {} : { name: ref.name }),
        })),
      );
    }
  }
  return out;
}

/** A failed read of a referenced version names the version that references it; the cause says why. */
function referenceError(error: unknown, ref: Pending): unknown {
  if (!isOcmError(error)) return error;
  const named = ref.name === undefined ? "" : ` (reference ${JSON.stringify(ref.name)})`;
  return new OcmError({
    code: error.code,
    message: `${ref.referrer} references ${ref.componentName}:${ref.version}${named}, which cannot be read`,
    hint: error.hint ?? `Add ${ref.componentName}:${ref.version} to the repository, or fix the reference.`,
    details: { ...error.details, referrer: ref.referrer, component: ref.componentName, version: ref.version },
    cause: error,
  });
}
