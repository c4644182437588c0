// Runs a processing chain over one component version, in chain order, as the RFC's pipe: each processor
// gets the descriptor the one before it answered. Blobs a processor replaces stay with that processor
// until the transfer streams them to the target; the chain holds only their digests, never their bytes.
import {
  type Blob,
  type Processor,
  type ProcessorItem,
  type WireDescriptor,
  type WireResource,
} from "../../../../core/index.js";
import { digestDescriptor, elementIdentity, parseDescriptor } from "../../../../core/model/index.js";
import {
  badAnswerError,
  processorFailedError,
  signedChangeError,
  type NamedStep,
} from "./processor-errors.js";

/** One entry of an opened chain. */
export interface ChainStep extends NamedStep {
  processor: Processor;
  instance: string;
  config: unknown;
}

/** What the chain made of a component version. */
export interface ProcessedVersion {
  descriptor: WireDescriptor;
  /** Replaced blobs by the local reference the processed descriptor gives them (their digest). */
  replacements: Map<string, () => Promise<Blob>>;
  /** The signatures of the source were dropped because a processor changed what they cover. */
  signaturesDropped: boolean;
}

export interface RunChainOptions {
  /** The bytes of a resource as the source holds them. */
  readSource: (resource: WireResource) => Promise<Blob>;
  /** Write a signed version changed by a processor, without its signatures. */
  allowUnsignedChanges?: boolean | undefined;
}

type Resource = WireResource & { digest?: unknown; access: { type: string; [key: string]: unknown } };

const HASHES: Record<string, string> = { sha256: "SHA-256", sha384: "SHA-384", sha512: "SHA-512" };

/** Runs `steps` in order over `item`; throws the first processor failure or bad answer. */
export async function runChain(
  steps: readonly ChainStep[],
  item: ProcessorItem,
  options: RunChainOptions,
): Promise<ProcessedVersion> {
  const name = `${item.component}:${item.version}`;
  let descriptor = structuredClone(item.descriptor);
  const replacements = new Map<string, () => Promise<Blob>>();
  const signatures = signatureNames(descriptor);
  const signedDigest = signatures.length > 0 ? digestOf(descriptor, name) : undefined;
  let signaturesDropped = false;
  for (const step of steps) {
    const answer = await step.processor.process({
      instance: step.instance,
      config: step.config,
      item: { ...item, descriptor },
    });
    if (answer.fail) throw processorFailedError(step, name, answer.fail.reason);
    if (answer.descriptor) descriptor = checkedDescriptor(step, item, answer.descriptor);
    for (const identity of answer.replaceBlobs ?? []) {
      await replaceBlob(step, item, descriptor, identity, replacements, options.readSource);
    }
    if (signedDigest !== undefined && !signaturesDropped) {
      let now: string;
      try {
        now = digestOf(descriptor, name);
      } catch (error) {
        throw badAnswerError(step, name, (error as Error).message);
      }
      if (now !== signedDigest) {
        if (!options.allowUnsignedChanges) throw signedChangeError(step, name, signatures);
        signaturesDropped = true;
      }
    }
  }
  if (signaturesDropped) delete (descriptor as Record<string, unknown>)["signatures"];
  return { descriptor, replacements, signaturesDropped };
}

function signatureNames(descriptor: WireDescriptor): string[] {
  const signatures = (descriptor as { signatures?: { name?: unknown }[] }).signatures ?? [];
  return signatures.map((s) => String(s.name));
}

function digestOf(descriptor: WireDescriptor, name: string): string {
  return digestDescriptor(parseDescriptor(JSON.stringify(descriptor), { source: `processed ${name}` })).value;
}

/** A processor may change anything of the version but which component version it is. */
function checkedDescriptor(step: ChainStep, item: ProcessorItem, answered: WireDescriptor): WireDescriptor {
  const { name, version } = answered.component;
  if (name !== item.component || version !== item.version) {
    throw badAnswerError(
      step,
      `${item.component}:${item.version}`,
      `a descriptor of ${name}:${version}; a processor may not rename or re-version a component`,
    );
  }
  return structuredClone(answered);
}

/** Streams the current bytes of the resource to the processor and records what it gives back. */
async function replaceBlob(
  step: ChainStep,
  item: ProcessorItem,
  descriptor: WireDescriptor,
  identity: Record<string, string>,
  replacements: Map<string, () => Promise<Blob>>,
  readSource: (resource: WireResource) => Promise<Blob>,
): Promise<void> {
  const resources = (descriptor.component["resources"] ?? []) as Resource[];
  const wanted = JSON.stringify(Object.entries(identity).sort());
  const index = resources.findIndex(
    (r) => JSON.stringify(Object.entries(elementIdentity(r, resources)).sort()) === wanted,
  );
  const resource = resources[index];
  if (resource === undefined) {
    throw badAnswerError(
      step,
      `${item.component}:${item.version}`,
      `replaceBlobs names ${JSON.stringify(identity)}, which is no resource of the descriptor`,
    );
  }
  const earlier = replacements.get(String(resource.access["localReference"]));
  const current = earlier ? await earlier() : await readSource(resource);
  const { blob } = await step.processor.processBlob(
    {
      instance: step.instance,
      config: step.config,
      component: item.component,
      version: item.version,
      resource,
      mediaType: current.mediaType,
    },
    current.content,
  );
  if (blob === null) return;
  const [algorithm = "", hex = ""] = blob.digest.split(":");
  const { processor, instance } = step;
  replacements.set(blob.digest, async () => ({
    ...(await processor.readBlob({ instance, id: blob.id })),
    mediaType: blob.mediaType,
    digest: blob.digest,
    size: blob.size,
  }));
  resources[index] = {
    ...resource,
    access: { type: "localBlob", localReference: blob.digest, mediaType: blob.mediaType },
    ...(resource.digest === undefined
      ? {}
      : {
          digest: {
            hashAlgorithm: HASHES[algorithm] ?? algorithm,
            normalisationAlgorithm: "genericBlobDigest/v1",
            value: hex,
          },
        }),
  };
}
