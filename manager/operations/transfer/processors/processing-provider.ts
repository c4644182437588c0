// Puts a processing chain between a transfer and its source without the transfer knowing: the provider
// hands out component version repositories whose reads of the source answer the processed descriptor and
// the replaced blobs, and whose write of a version to the target is followed by the checkpoint and each
// processor's on-complete. Planning reads every descriptor before any blob is copied, so a processor that
// fails or is refused stops the transfer before anything is written.
import {
  canonicalJson,
  type Blob,
  type CapabilityMap,
  type CapabilityProvider,
  type ComponentVersionRepository,
  type TypedSpec,
  type WireDescriptor,
  type WireResource,
} from "../../../../core/index.js";
import { canonicalAccessType, digestDescriptor, parseDescriptor } from "../../../../core/model/index.js";
import type { Checkpoint } from "./checkpoint.js";
import type { ProcessorChain } from "./open-chain.js";
import { runChain, type ProcessedVersion } from "./run-chain.js";

export interface ProcessingContext {
  chain: ProcessorChain;
  target: TypedSpec;
  checkpoint?: Checkpoint | undefined;
  allowUnsignedChanges?: boolean | undefined;
}

interface Processed extends ProcessedVersion {
  source: TypedSpec;
}

/** The normalised digest the checkpoint records of a version as written. */
export function versionDigest(descriptor: WireDescriptor): string {
  return digestDescriptor(parseDescriptor(JSON.stringify(descriptor), { source: "transferred descriptor" }))
    .value;
}

/** `inner`, with the source side of every component version repository running through the chain. */
export function createProcessingProvider(
  inner: CapabilityProvider,
  context: ProcessingContext,
): CapabilityProvider {
  const targetKey = canonicalJson(context.target);
  const isTarget = (spec: TypedSpec) => canonicalJson(spec) === targetKey;
  const reads = new Map<string, Promise<Processed>>();
  const versions = new Map<string, Processed>();

  const targetDescriptor = async (component: string, version: string) => {
    const repo = await inner.getPlugin(context.target.type, "componentVersionRepository");
    return repo
      .getComponentVersion({ repository: context.target, component, version })
      .then((found) => found.descriptor)
      .catch(() => undefined);
  };

  const readSource =
    (repo: ComponentVersionRepository, repository: TypedSpec, component: string, version: string) =>
    async (resource: WireResource): Promise<Blob> => {
      const access = resource.access;
      if (canonicalAccessType(access.type) === "LocalBlob/v1") {
        const mediaType = access["mediaType"];
        return repo.getLocalBlob({
          repository,
          component,
          version,
          localReference: String(access["localReference"]),
          ...(typeof mediaType === "string" ? { mediaType } : {}),
        });
      }
      const resources = await inner.getPlugin(access.type, "resourceRepository");
      return resources.getResource({ repository, component, version, resource });
    };

  const process = async (
    repo: ComponentVersionRepository,
    request: Parameters<ComponentVersionRepository["getComponentVersion"]>[0],
    options: Parameters<ComponentVersionRepository["getComponentVersion"]>[1],
  ): Promise<Processed> => {
    const { repository, component, version } = request;
    const recorded = context.checkpoint?.finished(component, version);
    if (recorded !== undefined) {
      // Finished by an earlier run: what the target holds is the processed version, if it still holds it.
      const held = await targetDescriptor(component, version);
      if (held && versionDigest(held) === recorded) {
        return { descriptor: held, replacements: new Map(), signaturesDropped: false, source: repository };
      }
    }
    const { descriptor } = await repo.getComponentVersion(request, options);
    const processed = await runChain(
      context.chain.steps,
      { component, version, source: repository, target: context.target, descriptor },
      {
        readSource: readSource(repo, repository, component, version),
        allowUnsignedChanges: context.allowUnsignedChanges,
      },
    );
    return { ...processed, source: repository };
  };

  const wrap = (repo: ComponentVersionRepository): ComponentVersionRepository => ({
    ...repo,
    getComponentVersion: async (request, options) => {
      if (isTarget(request.repository)) return repo.getComponentVersion(request, options);
      const key = `${canonicalJson(request.repository)}\n${request.component}:${request.version}`;
      let read = reads.get(key);
      if (!read) {
        read = process(repo, request, options);
        reads.set(key, read);
        read.then(
          (processed) => versions.set(`${request.component}:${request.version}`, processed),
          () => reads.delete(key),
        );
      }
      return { descriptor: structuredClone((await read).descriptor) };
    },
    getLocalBlob: async (request, options) => {
      const replaced = isTarget(request.repository)
        ? undefined
        : versions.get(`${request.component}:${request.version}`)?.replacements.get(request.localReference);
      return replaced ? replaced() : repo.getLocalBlob(request, options);
    },
    addComponentVersion: async (request, options) => {
      const answer = await repo.addComponentVersion(request, options);
      if (!isTarget(request.repository)) return answer;
      const { name: component, version } = request.descriptor.component;
      await context.checkpoint?.record(component, version, versionDigest(request.descriptor));
      const source = versions.get(`${component}:${version}`)?.source ?? request.repository;
      const item = { component, version, source, target: context.target, descriptor: request.descriptor };
      for (const step of context.chain.steps) {
        await step.processor.onComplete({ instance: step.instance, item });
      }
      return answer;
    },
  });

  return {
    getPlugin: async <K extends keyof CapabilityMap>(
      type: string,
      capability: K,
    ): Promise<CapabilityMap[K]> => {
      const plugin = await inner.getPlugin(type, capability);
      if (capability !== "componentVersionRepository") return plugin;
      return wrap(plugin as ComponentVersionRepository) as CapabilityMap[K];
    },
  };
}
