#!/usr/bin/env node
// Helm as an installable plugin (issue #14): the `helm` input packages a chart directory (or takes a chart
// tgz) deterministically, and the `helm` access reads a chart version from a Helm chart repository. It
// also names the consumer identity of a chart repository, so the host finds its credentials, and makes a
// `helmChart` resource stored in an OCI registry a Helm OCI artifact there too (docs/helm.md).
import {
  definePlugin,
  OcmError,
  type ConsumerIdentityProvider,
  type ResourceRepository,
} from "../../sdk/index.js";
import { fetchChart } from "./chart-repository.js";
import { chartTransformer } from "./chart-transformer.js";
import { helmIdentity, parseHelmAccess } from "./helm-access-spec.js";
import { helmInput } from "./helm-input.js";

const helmAccess: ResourceRepository = {
  getResource({ resource }, options) {
    return fetchChart(parseHelmAccess(resource.access), options?.credentials, options?.signal);
  },
  addResource() {
    throw new OcmError({
      code: "OCM_ACCESS_INVALID",
      message: "helm accesses are read-only: the plugin cannot upload to a chart repository",
      hint: "Copy the resource by value (transfer --copy-resources) to store the chart in a repository.",
    });
  },
};

// Whom the host asks for a chart repository's credentials (ADR 0006); a bare {type} names nobody.
const helmIdentities: ConsumerIdentityProvider = {
  async consumerIdentity({ spec }) {
    if (spec["helmRepository"] === undefined) return { identity: null };
    return { identity: helmIdentity(parseHelmAccess({ helmChart: "x:0", ...spec }).repository) };
  },
};

await definePlugin({
  name: "helm",
  version: "0.1.0",
  types: {
    "Helm/v1": {
      aliases: ["helm"],
      capabilities: {
        resourceRepository: helmAccess,
        inputRepository: helmInput,
        consumerIdentity: helmIdentities,
      },
    },
    // The OCM artifact type of Helm charts: how a chart is stored beside its local blob in a registry.
    helmChart: { capabilities: { blobTransformer: chartTransformer } },
  },
}).run(process.argv);
