// componentVersionRepository for CTFs: component versions as OCI manifests listed in artifact-index.json,
// local blobs as manifest layers. Blobs are added first, the index entry last, so no reader sees a
// version whose blobs are missing.
import { lstat } from "node:fs/promises";
import { join } from "node:path";
import {
  OcmError,
  parseDescriptor,
  sortVersions,
  type ComponentVersionRepository,
} from "../../core/index.js";
import { detectFormat } from "../../sdk/archive/index.js";
import {
  COMPONENT_REPOSITORY_PREFIX,
  componentNames,
  componentVersions,
  findVersion,
  readArtifactIndex,
  versionToTag,
  writeArtifactIndex,
  type ArtifactIndex,
  type IndexEntry,
} from "./artifact-index.js";
import { writeBlobStream } from "./blob-store.js";
import { invalidError, notFoundError } from "./ctf-errors.js";
import { keepCreated, mapNoSpace, openForRead, withWriteSession } from "./ctf-session.js";
import { manifestLayers, readComponentDescriptor, writeComponentManifest } from "./component-manifest.js";
import { localReferenceDigest } from "./local-blob-layers.js";
import { parseCtfSpec, type CtfSpec } from "./repository-spec.js";
import { localBlobDigests, undoFailedWrite } from "./undo-failed-write.js";
import { directoryRoot, type WriteRoot } from "./write-root.js";

/** The index entry of a component version, or OCM_REPOSITORY_NOT_FOUND listing what the CTF holds. */
function requireVersion(index: ArtifactIndex, where: string, component: string, version: string): IndexEntry {
  const entry = findVersion(index, component, version);
  if (entry !== undefined) return entry;
  const versions = componentVersions(index, component);
  if (versions.length === 0) throw notFoundError(where, `component ${component}`, componentNames(index));
  throw notFoundError(where, `version ${version} of ${component}`, sortVersions(versions));
}

/**
 * A directory CTF that already has a valid index (a new or foreign directory goes through the locked path).
 * The index is read so that a malformed CTF fails before any blob is written into it.
 */
async function isPreparedDirectory(path: string): Promise<boolean> {
  if ((await detectFormat(path)) !== "directory") return false;
  const present = await lstat(join(path, "artifact-index.json")).then(
    () => true,
    () => false,
  );
  if (present) await readArtifactIndex(path, path);
  return present;
}

/** Runs a write call; when it fails, undoes what it (and the calls before it) left behind. */
async function undoOnFailure<T>(spec: CtfSpec, digests: () => string[], write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    await undoFailedWrite(spec, digests());
    throw error;
  }
}

/** An already stored blob with the announced digest (and size), so its bytes need not travel again. */
async function storedBlob(
  root: WriteRoot,
  digest: string | undefined,
  size: number | undefined,
): Promise<{ digest: string; size: number } | undefined> {
  const actual = digest === undefined ? undefined : await root.blobSize(digest);
  if (digest === undefined || actual === undefined) return undefined;
  return size === undefined || size === actual ? { digest, size: actual } : undefined;
}

/** Adds one component version under the CTF's lock. */
async function addVersion(spec: CtfSpec, descriptor: unknown, overwrite: boolean | undefined): Promise<void> {
  const cd = parseDescriptor(JSON.stringify(descriptor), { source: "descriptor to add" });
  const { name, version } = cd.component;
  await withWriteSession(spec, async (root) => {
    const index = await readArtifactIndex(root.dir, spec.path);
    const existing = findVersion(index, name, version);
    if (existing !== undefined && overwrite === true) {
      index.artifacts = index.artifacts.filter((artifact) => artifact !== existing);
    } else if (existing !== undefined) {
      throw new OcmError({
        code: "OCM_REPOSITORY_VERSION_EXISTS",
        message: `CTF ${spec.path} already holds ${name}:${version}`,
        hint: "Bump the version, or add it to another repository.",
        details: { path: spec.path, component: name, version },
      });
    }
    const manifest = await writeComponentManifest(root, spec.path, cd);
    index.artifacts.push({
      repository: COMPONENT_REPOSITORY_PREFIX + name,
      tag: versionToTag(version),
      digest: manifest.digest,
    });
    await writeArtifactIndex(root.dir, index);
  });
}

/** Reads and writes component versions and local blobs in a CTF. */
export const ctfComponentVersions: ComponentVersionRepository = {
  async getComponentVersion({ repository, component, version }) {
    const spec = parseCtfSpec(repository);
    const reader = await openForRead(spec);
    const entry = requireVersion(await reader.readIndex(), spec.path, component, version);
    return { descriptor: await readComponentDescriptor(reader, spec.path, entry.digest) };
  },

  async listComponentVersions({ repository, component }) {
    const spec = parseCtfSpec(repository);
    const index = await (await openForRead(spec)).readIndex();
    const versions = componentVersions(index, component);
    if (versions.length === 0)
      throw notFoundError(spec.path, `component ${component}`, componentNames(index));
    return { versions: sortVersions([...new Set(versions)]) };
  },

  async addComponentVersion({ repository, descriptor, overwrite }) {
    const spec = parseCtfSpec(repository);
    await undoOnFailure(
      spec,
      () => localBlobDigests(descriptor),
      () => addVersion(spec, descriptor, overwrite),
    );
    keepCreated(spec.path);
    return {};
  },

  async getLocalBlob({ repository, component, version, localReference, mediaType }) {
    const spec = parseCtfSpec(repository);
    const digest = localReferenceDigest(localReference);
    if (digest === undefined)
      throw invalidError(
        spec.path,
        `localReference ${JSON.stringify(localReference)} is not a sha256 digest`,
      );
    const reader = await openForRead(spec);
    const entry = requireVersion(await reader.readIndex(), spec.path, component, version);
    const layers = await manifestLayers(reader, spec.path, entry.digest);
    const layer = layers.find((l) => l.digest === digest);
    if (layer === undefined) {
      throw notFoundError(
        spec.path,
        `local blob ${localReference} of ${component}:${version}`,
        layers.slice(1).map((l) => l.digest),
      );
    }
    const blob = await reader.openBlob(digest, layer.size);
    return { mediaType: mediaType ?? layer.mediaType, size: blob.size, digest, content: blob.content };
  },

  async addLocalBlob({ repository, mediaType, digest, size }, content) {
    const spec = parseCtfSpec(repository);
    const store = async (root: WriteRoot) =>
      (await storedBlob(root, digest, size)) ?? (await writeBlobStream(root, content, { digest, size }));
    // Blobs are content-addressed and land by rename, so a directory CTF needs no lock for them: parallel
    // uploads of large blobs never wait on each other, and the index (written under the lock) names
    // a blob only after it is complete.
    const stored = await undoOnFailure(
      spec,
      () => [],
      async () =>
        spec.accessMode !== "readonly" && (await isPreparedDirectory(spec.path))
          ? await mapNoSpace(spec.path, () => store(directoryRoot(spec.path)))
          : await withWriteSession(spec, store),
    );
    return { localReference: stored.digest, mediaType, digest: stored.digest, size: stored.size };
  },
};
