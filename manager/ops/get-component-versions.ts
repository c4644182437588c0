// Reads component versions from a repository: one version, all versions of a component, and with
// `recursive` every component version they reference (from the same repository).
import type { TypedSpec, WireDescriptor } from "../../core/index.js";
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
  const queue: Reference[] = versions.map((version) => ({ componentName: options.component, version }));
  const seen = new Set<string>();
  const out: WireDescriptor[] = [];
  while (queue.length) {
    const next = queue.shift() as Reference;
    const key = `${next.componentName}:${next.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const { descriptor } = await repo.getComponentVersion({
      repository: options.repository,
      component: next.componentName,
      version: next.version,
    });
    out.push(descriptor);
    if (options.recursive) {
      const refs = (descriptor.component.componentReferences ?? []) as Reference[];
      queue.push(...refs.map((ref) => ({ componentName: ref.componentName, version: ref.version })));
    }
  }
  return out;
}
