// componentVersionRepository for OCI registries: a component version is a manifest tagged with its version
// in `<subPath>/component-descriptors/<name>`, its local blobs are blobs of that repository. Blobs are pushed
// before the manifest, so the registry never holds a manifest that references a missing blob.
import {
  OcmError,
  isOcmError,
  parseDescriptor,
  sortVersions,
  type ComponentVersionRepository,
} from "../../core/index.js";
import {
  localBlobGroups,
  localReferenceDigest,
  tagToVersion,
  versionToTag,
} from "../../sdk/oci-layout/index.js";
import { pushBlob } from "./distribution/blob-upload.js";
import { blobSize, getBlob } from "./distribution/blobs.js";
import { listTags } from "./distribution/listing.js";
import { headManifest, putManifest } from "./distribution/manifests.js";
import { OCI_MANIFEST, type Descriptor } from "./distribution/media-types.js";
import type { RegistryClient } from "./distribution/registry-client.js";
import {
  buildComponentManifest,
  readComponentDescriptor,
  readComponentManifest,
} from "./component-manifest.js";
import {
  OCI_TYPE,
  OCI_TYPE_ALIASES,
  clientFor,
  componentRepository,
  parseOciSpec,
  type OciSpec,
} from "./repository-spec.js";

export { tagToVersion, versionToTag };

function notFound(spec: OciSpec, what: string, known: string[], cause?: unknown): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_NOT_FOUND",
    message: `OCI registry ${spec.where}: ${what} not found`,
    hint:
      known.length > 0
        ? `It holds: ${known.slice(0, 20).join(", ")}${known.length > 20 ? " …" : ""}.`
        : "The registry holds nothing that matches.",
    details: { registry: spec.where, known },
    cause,
  });
}

const isNotFound = (error: unknown) => isOcmError(error) && error.code === "OCM_REPOSITORY_NOT_FOUND";

async function versionsOf(
  client: RegistryClient,
  spec: OciSpec,
  component: string,
): Promise<string[] | undefined> {
  try {
    const tags = await listTags(client, componentRepository(spec, component));
    return sortVersions(tags.map(tagToVersion));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Reads and writes component versions and local blobs in an OCI registry. */
export const ociComponentVersions: ComponentVersionRepository = {
  async getComponentVersion({ repository, component, version }, options) {
    const spec = parseOciSpec(repository);
    const client = clientFor(spec.registry, options);
    const repo = componentRepository(spec, component);
    let manifest;
    try {
      manifest = await readComponentManifest(client, repo, versionToTag(version));
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const versions = await versionsOf(client, spec, component);
      if (versions === undefined) throw notFound(spec, `component ${component}`, [], error);
      throw notFound(spec, `version ${version} of ${component}`, versions, error);
    }
    const where = `${spec.registry.host}/${repo}:${versionToTag(version)}`;
    return { descriptor: await readComponentDescriptor(client, repo, manifest, where) };
  },

  async listComponentVersions({ repository, component }, options) {
    const spec = parseOciSpec(repository);
    const versions = await versionsOf(clientFor(spec.registry, options), spec, component);
    if (versions === undefined || versions.length === 0) throw notFound(spec, `component ${component}`, []);
    return { versions };
  },

  async addComponentVersion({ repository, descriptor, overwrite }, options) {
    const spec = parseOciSpec(repository);
    const client = clientFor(spec.registry, options);
    const cd = parseDescriptor(JSON.stringify(descriptor), { source: "descriptor to add" });
    const { name, version } = cd.component;
    const repo = componentRepository(spec, name);
    const tag = versionToTag(version);
    const localLayers: Descriptor[] = [];
    for (const group of localBlobGroups(spec.where, cd)) {
      const size = await blobSize(client, repo, group.digest);
      if (size === undefined) {
        throw new OcmError({
          code: "OCM_REPOSITORY_NOT_FOUND",
          message: `OCI registry ${spec.where}: local blob ${group.digest} referenced by ${name}:${version} is not in ${repo}`,
          hint: "Add every local blob with addLocalBlob before adding the component version that references it.",
          details: { registry: spec.where, digest: group.digest },
        });
      }
      localLayers.push({ ...group, size });
    }
    if (overwrite !== true && (await headManifest(client, repo, tag)) !== undefined) {
      throw new OcmError({
        code: "OCM_REPOSITORY_VERSION_EXISTS",
        message: `OCI registry ${spec.where} already holds ${name}:${version} (${repo}:${tag})`,
        hint: "Bump the version, or overwrite it where the command offers it.",
        details: { registry: spec.where, component: name, version },
      });
    }
    const built = buildComponentManifest(cd, localLayers);
    for (const blob of [built.layer, built.config]) {
      await pushBlob(client, repo, once(blob.bytes), {
        digest: blob.descriptor.digest,
        size: blob.descriptor.size,
      });
    }
    await putManifest(client, repo, tag, built.manifest, OCI_MANIFEST);
    return {};
  },

  async getLocalBlob({ repository, component, version, localReference, mediaType }, options) {
    const spec = parseOciSpec(repository);
    const client = clientFor(spec.registry, options);
    const digest = localReferenceDigest(localReference);
    if (digest === undefined) {
      throw new OcmError({
        code: "OCM_REPOSITORY_INVALID",
        message: `OCI registry ${spec.where}: localReference ${JSON.stringify(localReference)} is not a sha256 digest`,
        hint: "A local blob in an OCI registry is referenced by its digest, sha256:<hex>.",
      });
    }
    const repo = componentRepository(spec, component);
    const manifest = await readComponentManifest(client, repo, versionToTag(version)).catch(
      (error: unknown) => {
        throw isNotFound(error) ? notFound(spec, `${component}:${version}`, [], error) : error;
      },
    );
    const layer = (manifest.layers ?? []).find((l) => l.digest === digest);
    if (layer === undefined) {
      const known = (manifest.layers ?? []).slice(1).map((l) => l.digest);
      throw notFound(spec, `local blob ${localReference} of ${component}:${version}`, known);
    }
    const blob = await getBlob(client, repo, digest);
    return {
      mediaType: mediaType ?? layer.mediaType,
      size: blob.size ?? layer.size,
      digest,
      content: blob.content,
    };
  },

  async addLocalBlob({ repository, component, mediaType, digest, size, source }, content, options) {
    const spec = parseOciSpec(repository);
    const client = clientFor(spec.registry, options);
    const target = componentRepository(spec, component);
    const mountFrom = mountSource(spec, target, source);
    const pushed = await pushBlob(client, target, content, { digest, size, mountFrom });
    return { localReference: pushed.digest, mediaType, digest: pushed.digest, size: pushed.size };
  },
};

/**
 * The repository of the target's own registry that holds the source's local blobs, for a cross-repository
 * mount (distribution spec "Mounting a blob from another repository"); undefined when the source is
 * elsewhere or is the target repository itself (the HEAD check finds those blobs).
 */
function mountSource(
  spec: OciSpec,
  target: string,
  source: { repository: { type: string }; component: string } | undefined,
): string | undefined {
  if (!source || ![OCI_TYPE, ...OCI_TYPE_ALIASES].includes(source.repository.type)) return undefined;
  let from: OciSpec;
  try {
    from = parseOciSpec(source.repository);
  } catch {
    return undefined;
  }
  if (from.registry.origin !== spec.registry.origin) return undefined;
  const repository = componentRepository(from, source.component);
  return repository === target ? undefined : repository;
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
