// A descriptor two of whose elements share one identity cannot be addressed: no selector picks one of them.
import { OcmError } from "../errors.js";
import type { WireDescriptor } from "../protocol/common.js";
import { findDuplicateIdentity, formatIdentity } from "./identity.js";

type Element = { name: string; version?: unknown; extraIdentity?: unknown };

/** Refuses a descriptor two of whose resources, sources or references share their whole identity. */
export function refuseDuplicateElements(descriptor: WireDescriptor): void {
  const component = descriptor.component as Record<string, unknown>;
  for (const list of ["resources", "sources", "componentReferences"]) {
    const elements = Array.isArray(component[list]) ? (component[list] as Element[]) : [];
    const found = findDuplicateIdentity(elements.filter((e) => typeof e?.name === "string"));
    if (!found) continue;
    const where = `${descriptor.component.name}:${descriptor.component.version}`;
    const [a, b] = [`component.${list}.${found.first}`, `component.${list}.${found.second}`];
    throw new OcmError({
      code: "OCM_DESCRIPTOR_INVALID",
      message: `descriptor ${where}: ${a} and ${b} have the same identity ${formatIdentity(found.identity)}; neither could be addressed`,
      hint: "Rename one, or tell them apart with extraIdentity or another version.",
      details: { path: b, paths: [a, b], identity: found.identity },
    });
  }
}
