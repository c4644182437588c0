// Converts the v3alpha1 serialisation to v2, as the Go tool does before storing a descriptor.
import { escapeGoJson } from "./canonical-json.js";
import type { ComponentDescriptorV3alpha1 } from "./schema-v3alpha1.js";
import type { Component, ComponentDescriptor, Label } from "./schema-v2.js";

/** A label with its keys in the Go struct order (name, value, version, signing, merge), as json.Marshal writes it. */
function goLabel(label: Label): Label {
  const { name, value, version, signing, merge, ...rest } = label;
  return {
    name,
    value,
    ...(version ? { version } : {}),
    ...(signing ? { signing } : {}),
    ...(merge ? { merge } : {}),
    ...rest,
  };
}

/**
 * Returns the v2 form of a v3alpha1 descriptor. A provider with labels becomes the JSON string
 * `{"name":…,"labels":[…]}` that v2 uses for it (Go `compdesc/versions/v2/version.go`); `spec.references`
 * becomes `componentReferences`.
 */
export function convertV3alpha1ToV2(cd: ComponentDescriptorV3alpha1): ComponentDescriptor {
  const { name, version, labels, provider, creationTime } = cd.metadata;
  const providerName = provider?.name ?? "";
  const component: Component = {
    name,
    version,
    provider:
      provider?.labels && provider.labels.length > 0
        ? escapeGoJson(JSON.stringify({ name: providerName, labels: provider.labels.map(goLabel) }))
        : providerName,
    repositoryContexts: cd.repositoryContexts ?? [],
    resources: cd.spec?.resources ?? [],
    sources: cd.spec?.sources ?? [],
    componentReferences: cd.spec?.references ?? [],
    ...(labels && labels.length > 0 ? { labels } : {}),
    ...(creationTime === undefined ? {} : { creationTime }),
  };
  return {
    meta: { schemaVersion: "v2" },
    component,
    ...(cd.signatures && cd.signatures.length > 0 ? { signatures: cd.signatures } : {}),
    ...(cd.nestedDigests && cd.nestedDigests.length > 0 ? { nestedDigests: cd.nestedDigests } : {}),
  };
}
