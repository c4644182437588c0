// Reads one component version's descriptor from a repository and validates it as the v2 model, so the
// signing code works on the same typed form the normalisation functions expect.
import type { ComponentVersionRepository, TypedSpec } from "../../core/index.js";
import { parseDescriptor, type ComponentDescriptor } from "../../core/model/index.js";

/** Where a component version lives. */
export interface ComponentVersionTarget {
  repository: TypedSpec;
  component: string;
  version: string;
}

/** The descriptor of `target`, validated (v3alpha1 input comes back as v2). */
export async function readDescriptor(
  repo: ComponentVersionRepository,
  target: ComponentVersionTarget,
): Promise<ComponentDescriptor> {
  const { descriptor } = await repo.getComponentVersion(target);
  return parseDescriptor(JSON.stringify(descriptor), { source: `${target.component}:${target.version}` });
}
