// Reads the v2 provider field, which is a plain name, or a JSON string (or object) when it has labels.
import type { Component, Label } from "./schema-v2.js";

/** A provider with its labels. */
export interface Provider {
  name: string;
  labels?: Label[];
}

/** Decodes `component.provider`: a name, `{"name":…,"labels":[…]}` as a JSON string, or such an object. */
export function providerOf(component: Pick<Component, "provider">): Provider {
  const raw = component.provider;
  if (typeof raw !== "string")
    return raw.labels ? { name: raw.name, labels: raw.labels } : { name: raw.name };
  if (!raw.trimStart().startsWith("{")) return { name: raw };
  try {
    const parsed = JSON.parse(raw) as { name?: unknown; labels?: unknown };
    if (typeof parsed.name !== "string") return { name: raw };
    return Array.isArray(parsed.labels)
      ? { name: parsed.name, labels: parsed.labels as Label[] }
      : { name: parsed.name };
  } catch {
    return { name: raw };
  }
}
