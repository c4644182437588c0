// Builds component versions from a constructor file into a repository: inputs become local blobs
// (streamed, digested), then the descriptor is added — blobs first, so readers never see a dangling one.
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import {
  OcmError,
  isOcmError,
  parseConstructor,
  type ComponentVersionRepository,
  type ConstructorComponent,
  type ConstructorResource,
  type ConstructorSource,
  type TypedSpec,
} from "../../core/index.js";
import { parseDescriptor } from "../../core/model/index.js";
import type { CapabilityProvider, EventPublisher } from "../../core/index.js";
import { describeRepository } from "./lookup-component-version.js";

/** What to do with a component version the repository already holds. */
export const ON_EXISTING = ["fail", "skip", "replace"] as const;
export type OnExisting = (typeof ON_EXISTING)[number];

export interface AddComponentVersionsOptions {
  /** The target repository specification (e.g. a CTF with `accessMode: create`). */
  repository: TypedSpec;
  /** Path of the constructor file; input paths are relative to its directory. */
  constructorPath: string;
  /** Creation time written into the descriptors (default: now, seconds precision). */
  now?: Date;
  /**
   * A version the repository holds already: `fail` (default) before anything is written, `skip` it, or
   * `replace` it (its descriptor swapped in one write; blobs it shares with other versions stay).
   */
  onExisting?: OnExisting | undefined;
  /** Receives `componentVersion.added` after each version is stored. */
  events?: EventPublisher | undefined;
}

export interface AddedComponentVersion {
  component: string;
  version: string;
  action: "added" | "skipped" | "replaced";
  resources: number;
  bytes: number;
}

type Element = Record<string, unknown>;

function hexOf(digest: string): string {
  return digest.slice(digest.indexOf(":") + 1);
}

function providerOf(component: ConstructorComponent): string {
  const provider = component.provider;
  if (typeof provider === "string") return provider;
  return provider.labels?.length
    ? JSON.stringify({ name: provider.name, labels: provider.labels })
    : provider.name;
}

/** Reads a constructor and adds every component version it describes; returns what was added. */
export async function addComponentVersions(
  manager: CapabilityProvider,
  options: AddComponentVersionsOptions,
): Promise<AddedComponentVersion[]> {
  const path = resolve(options.constructorPath);
  const text = await readFile(path, "utf8").catch((error: unknown) => {
    throw new OcmError({
      code: "OCM_CONSTRUCTOR_INVALID",
      message: `cannot read constructor file ${path}`,
      hint: "Pass the path of a component constructor YAML file with --constructor.",
      cause: error,
    });
  });
  const constructor = parseConstructor(text, { source: path });
  const creationTime = (options.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");
  // Everything that can be checked is checked before the target is touched (a --create would make it).
  for (const component of constructor.components) {
    await checkComponent(manager, component, creationTime, path);
  }
  const repo = await manager.getPlugin(options.repository.type, "componentVersionRepository");
  const onExisting = options.onExisting ?? "fail";
  const existing = new Set<string>();
  for (const component of constructor.components) {
    if (!(await holds(repo, options.repository, component))) continue;
    if (onExisting === "fail") throw versionExistsError(options.repository, component);
    existing.add(`${component.name}:${component.version}`);
  }
  const added: AddedComponentVersion[] = [];
  for (const component of constructor.components) {
    const present = existing.has(`${component.name}:${component.version}`);
    if (present && onExisting === "skip") {
      added.push({
        component: component.name,
        version: component.version,
        action: "skipped",
        resources: 0,
        bytes: 0,
      });
      continue;
    }
    const context = { manager, repository: options.repository, repo, component, baseDir: dirname(path) };
    let bytes = 0;
    const resources: Element[] = [];
    for (const resource of component.resources ?? []) {
      const built = await buildElement(context, resource, "resource");
      bytes += built.bytes;
      resources.push(built.element);
    }
    const sources: Element[] = [];
    for (const source of component.sources ?? [])
      sources.push((await buildElement(context, source, "source")).element);
    const descriptor = descriptorOf(component, creationTime, resources, sources);
    await repo.addComponentVersion({
      repository: options.repository,
      descriptor,
      ...(present ? { overwrite: true } : {}),
    });
    await options.events?.publish({
      type: "componentVersion.added",
      subject: { repository: options.repository, component: component.name, version: component.version },
      data: { action: present ? "replaced" : "added" },
    });
    added.push({
      component: component.name,
      version: component.version,
      action: present ? "replaced" : "added",
      resources: resources.length,
      bytes,
    });
  }
  return added;
}

/** True when the repository holds the version (a repository that does not exist yet holds nothing). */
async function holds(
  repo: ComponentVersionRepository,
  repository: TypedSpec,
  component: ConstructorComponent,
): Promise<boolean> {
  return repo.getComponentVersion({ repository, component: component.name, version: component.version }).then(
    () => true,
    (error: unknown) => {
      if (isOcmError(error) && error.code === "OCM_REPOSITORY_NOT_FOUND") return false;
      throw error;
    },
  );
}

function versionExistsError(repository: TypedSpec, component: ConstructorComponent): OcmError {
  const where = describeRepository(repository);
  return new OcmError({
    code: "OCM_REPOSITORY_VERSION_EXISTS",
    message: `${where} already holds ${component.name}:${component.version}; nothing was written`,
    hint: "Pass --on-existing skip to keep it, --on-existing replace to replace it, or bump the version.",
    details: { component: component.name, version: component.version },
  });
}

function descriptorOf(
  component: ConstructorComponent,
  creationTime: string,
  resources: Element[],
  sources: Element[],
) {
  return {
    meta: { schemaVersion: "v2" },
    component: {
      name: component.name,
      version: component.version,
      provider: providerOf(component),
      ...(component.labels?.length ? { labels: component.labels } : {}),
      creationTime: component.creationTime ?? creationTime,
      repositoryContexts: [],
      resources,
      sources,
      componentReferences: [...(component.componentReferences ?? []), ...(component.references ?? [])],
    },
  };
}

/** A resource or source as the descriptor holds it, without its input, before any blob is stored. */
function baseElement(
  element: ConstructorResource | ConstructorSource,
  kind: "resource" | "source",
  component: ConstructorComponent,
): Element {
  const { input, ...rest } = element as ConstructorResource;
  const base: Element = { ...rest, version: element.version ?? component.version };
  if (kind === "resource")
    base.relation = (element as ConstructorResource).relation ?? (input ? "local" : "external");
  return base;
}

/** What an input becomes before its blob exists: a local blob of a digest not yet known. */
const PENDING_BLOB = `sha256:${"0".repeat(64)}`;

/**
 * Validates the descriptor `component` will have, with placeholders for blobs not yet stored, and that a
 * plugin exists for each input type: a constructor that cannot succeed fails before anything is written.
 */
async function checkComponent(
  manager: CapabilityProvider,
  component: ConstructorComponent,
  creationTime: string,
  path: string,
): Promise<void> {
  const skeleton = (element: ConstructorResource | ConstructorSource, kind: "resource" | "source") => {
    const base = baseElement(element, kind, component);
    if (element.input) {
      base.access = {
        type: "localBlob",
        localReference: PENDING_BLOB,
        mediaType: "application/octet-stream",
      };
      if (kind === "resource") {
        base.digest = {
          hashAlgorithm: "SHA-256",
          normalisationAlgorithm: "genericBlobDigest/v1",
          value: PENDING_BLOB.slice(7),
        };
      }
    }
    return base;
  };
  const descriptor = descriptorOf(
    component,
    creationTime,
    (component.resources ?? []).map((r) => skeleton(r, "resource")),
    (component.sources ?? []).map((s) => skeleton(s, "source")),
  );
  parseDescriptor(JSON.stringify(descriptor), {
    source: `${path}: component ${component.name}:${component.version}`,
  });
  const inputs = [...(component.resources ?? []), ...(component.sources ?? [])].flatMap((e) =>
    e.input ? [e.input.type] : [],
  );
  for (const type of new Set(inputs)) await manager.getPlugin(type, "inputRepository");
}

interface BuildContext {
  manager: CapabilityProvider;
  repository: TypedSpec;
  repo: ComponentVersionRepository;
  component: ConstructorComponent;
  baseDir: string;
}

async function buildElement(
  context: BuildContext,
  element: ConstructorResource | ConstructorSource,
  kind: "resource" | "source",
): Promise<{ element: Element; bytes: number }> {
  const { input } = element;
  const base = baseElement(element, kind, context.component);
  if (!input) return { element: base, bytes: 0 };
  const inputs = await context.manager.getPlugin(input.type, "inputRepository");
  const blob = await inputs.processInput({ input, baseDir: context.baseDir });
  const stored = await context.repo.addLocalBlob(
    {
      repository: context.repository,
      component: context.component.name,
      version: context.component.version,
      mediaType: blob.mediaType,
      ...(blob.digest ? { digest: blob.digest } : {}),
      // A known size goes with the upload, so it carries content-length instead of a chunked body (#11).
      ...(blob.size === undefined ? {} : { size: blob.size }),
    },
    blob.content,
  );
  base.access = { type: "localBlob", localReference: stored.localReference, mediaType: stored.mediaType };
  if (kind === "resource") {
    base.digest = {
      hashAlgorithm: "SHA-256",
      normalisationAlgorithm: "genericBlobDigest/v1",
      value: hexOf(stored.digest),
    };
  }
  return { element: base, bytes: stored.size };
}
