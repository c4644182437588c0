// Selects one resource of a descriptor by identity, with errors that list the candidates.
import { OcmError, type WireDescriptor } from "../../core/index.js";
import { elementIdentity } from "../../core/model/index.js";

export type ResourceEntry = Record<string, unknown> & {
  name: string;
  access: { type: string } & Record<string, unknown>;
};

function formatIdentity(identity: Record<string, string>): string {
  return Object.entries(identity)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

/** The resource whose identity contains every key of `selector` with the same value. */
export function findResource(descriptor: WireDescriptor, selector: Record<string, string>): ResourceEntry {
  const resources = (descriptor.component.resources ?? []) as ResourceEntry[];
  const identities = resources.map((resource) => elementIdentity(resource, resources));
  const matches = resources.filter((_, i) =>
    Object.entries(selector).every(([key, value]) => identities[i]?.[key] === value),
  );
  const where = `${descriptor.component.name}:${descriptor.component.version}`;
  const candidates = identities.map(formatIdentity).join("; ") || "none";
  if (matches.length === 1) return matches[0] as ResourceEntry;
  throw new OcmError({
    code: matches.length === 0 ? "OCM_RESOURCE_NOT_FOUND" : "OCM_RESOURCE_AMBIGUOUS",
    message: `${matches.length === 0 ? "no" : `${matches.length}`} resource${matches.length === 0 ? "" : "s"} of ${where} match ${formatIdentity(selector)}`,
    hint: `Resources of ${where}: ${candidates}. Select one with --identity name=<name>[,key=value].`,
    details: { selector },
  });
}
