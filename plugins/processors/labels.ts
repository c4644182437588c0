// Labels/v1: records where a transferred component version came from (a `transferred-from` label holding
// the source repository, without credentials) and removes labels by name.
import { redactUrls, type TypedSpec } from "../../core/index.js";
import { createProcessor, type ProcessorHandlers } from "../../sdk/index.js";
import { configError, configObject, stringList } from "./config-error.js";

export const LABELS_TYPE = "Labels/v1";
export const TRANSFERRED_FROM = "transferred-from";

export interface LabelsConfig {
  /** Add the `transferred-from` label to the component (default true). */
  transferredFrom: boolean;
  /** Remove labels of these names from the component, its resources, sources and references. */
  remove: string[];
}

export const labelsSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "Labels/v1 config",
  type: "object",
  properties: {
    transferredFrom: { type: "boolean", default: true },
    remove: { type: "array", items: { type: "string", minLength: 1 } },
  },
  additionalProperties: false,
};

function parseConfig(config: unknown): LabelsConfig {
  const object = configObject(LABELS_TYPE, config, ["transferredFrom", "remove"]);
  const transferredFrom = object["transferredFrom"] ?? true;
  if (typeof transferredFrom !== "boolean") {
    throw configError(LABELS_TYPE, "transferredFrom", transferredFrom, "is not true or false");
  }
  return { transferredFrom, remove: stringList(LABELS_TYPE, "remove", object["remove"]) ?? [] };
}

type Label = { name: string; value: unknown };
type Labelled = { labels?: Label[] | null };

/** The repository spec with any user-info in its URLs masked: a label is public, credentials are not. */
export function publicSpec(spec: TypedSpec): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(spec).map(([key, value]) => [key, typeof value === "string" ? redactUrls(value) : value]),
  );
}

function withoutLabels<T extends Labelled>(element: T, remove: readonly string[]): T {
  if (!element.labels?.some((l) => remove.includes(l.name))) return element;
  return { ...element, labels: element.labels.filter((l) => !remove.includes(l.name)) };
}

const handlers: ProcessorHandlers<LabelsConfig> = {
  parseConfig,
  process: ({ descriptor, source }, config) => {
    const component = withoutLabels(
      descriptor.component as typeof descriptor.component & Labelled,
      config.remove,
    );
    for (const list of ["resources", "sources", "componentReferences"] as const) {
      const elements = component[list] as Labelled[] | undefined;
      if (elements) component[list] = elements.map((e) => withoutLabels(e, config.remove));
    }
    if (config.transferredFrom) {
      const labels = (component.labels ?? []).filter((l) => l.name !== TRANSFERRED_FROM);
      component.labels = [...labels, { name: TRANSFERRED_FROM, value: publicSpec(source) }];
    }
    return { descriptor: { ...descriptor, component } };
  },
};

export const labels = createProcessor(handlers);
