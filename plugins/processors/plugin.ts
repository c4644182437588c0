// Built-in processors for `ocm transfer --processor` (adr/0007-processors.md): a resource filter and a
// label processor. Other processors come as plugins, in any language.
import type { PluginDefinition } from "../../core/index.js";
import { LABELS_TYPE, labels, labelsSchema } from "./labels.js";
import { RESOURCE_FILTER_TYPE, resourceFilter, resourceFilterSchema } from "./resource-filter.js";

export const processorsPlugin: PluginDefinition = {
  name: "processors",
  version: "0.1.0",
  description: "Transfer processors: keep resources by type, name or extra identity; add and remove labels",
  types: {
    [RESOURCE_FILTER_TYPE]: {
      aliases: ["resource-filter", "filter"],
      schema: resourceFilterSchema,
      capabilities: { processor: resourceFilter },
    },
    [LABELS_TYPE]: {
      aliases: ["labels"],
      schema: labelsSchema,
      capabilities: { processor: labels },
    },
  },
};
