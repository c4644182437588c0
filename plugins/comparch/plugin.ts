// The Component Archive plugin: ComponentArchive/v1 repositories (directory, tar, tgz holding
// component-descriptor.yaml and blobs/ with exactly one component version), as the OCM Go tool writes them.
import type { PluginDefinition } from "../../core/index.js";
import { comparchComponentLister } from "./component-lister.js";
import { comparchComponentVersions } from "./component-versions.js";
import { COMPARCH_TYPE, comparchSpecJsonSchema } from "./repository-spec.js";
import { comparchResources } from "./resource-repository.js";

/** Serves the component version, its component name and its localBlob resources of Component Archives. */
export const comparchPlugin: PluginDefinition = {
  name: "comparch",
  version: "0.1.0",
  description: "Component Archives (one component version): directory, tar and tgz, read and written",
  types: {
    [COMPARCH_TYPE]: {
      aliases: ["ComponentArchive", "ca", "comparch"],
      schema: comparchSpecJsonSchema,
      // `ca::<path>` (or any alias); no prefix-less guess: a bare path stays a CTF.
      reference: { syntax: "<directory, .tar or .tgz>", field: "filePath" },
      capabilities: {
        componentVersionRepository: comparchComponentVersions,
        componentLister: comparchComponentLister,
        resourceRepository: comparchResources,
      },
    },
  },
};
