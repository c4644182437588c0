// componentVersionRepository for CTFs: component versions as OCI manifests listed in artifact-index.json,
// local blobs as manifest layers. Blobs are added first, the index entry last, so no reader sees a
// version whose blobs are missing.
import { open, stat } from "node:fs/promises";
import { join } from "node:path";
import {
  OcmError,
  parseDescriptor,
  sortVersions,
  type ComponentVersionRepository,
} from "../../core/index.js";
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
import { blobPath, hasBlob, verifiedStream, writeBlobStream } from "./blob-store.js";
import { detectFormat } from "./detect-format.js";
import { invalidError, notFoundError } from "./ctf-errors.js";
import { openForRead, withWriteSession } from "./ctf-session.js";
import { manifestLayers, readComponentDescriptor, writeComponentManifest } from "./component-manifest.js";
import { localReferenceDigest } from "./local-blob-layers.js";
import { parseCtfSpec } from "./repository-spec.js";

/** The index entry of a component version, or OCM_REPOSITORY_NOT_FOUND listing what the CTF holds. */
function requireVersion(index: ArtifactIndex, where: string, component: string, version: string): IndexEntry {
  const entry = findVersion(index, component, version);
  if (entry !== undefined) return entry;
  const versions = componentVersions(index, component);
  if (versions.length === 0) throw notFoundError(where, `component ${component}`, componentNames(index));
  throw notFoundError(where, `version ${version} of ${component}`, sortVersions(versions));
}

/** Reads and writes component versions and local blobs in a CTF. */
/** A directory CTF that already has its index (a new or foreign directory goes through the locked path). */
async function isPreparedDirectory(path: string): Promise<boolean> {
  if ((await detectFormat(path)) !== "directory") return false;
  return stat(join(path, "artifact-index.json")).then(
    (info) => info.isFile(),
    () => false,
  );
}

/** An already stored blob with the announced digest (and size), so its bytes need not travel again. */
async function storedBlob(
  root: string,
  digest: string | undefined,
  size: number | undefined,
): Promise<{ digest: string; size: number } | undefined> {
  if (digest === undefined || !(await hasBlob(root, digest))) return undefined;
  const actual = (await stat(blobPath(root, digest))).size;
  return size === undefined || size === actual ? { digest, size: actual } : undefined;
}

export const ctfComponentVersions: ComponentVersionRepository = {
  async getComponentVersion({ repository, component, version }) {
    const spec = parseCtfSpec(repository);
    const session = await openForRead(spec);
    try {
      const index = await readArtifactIndex(session.root, spec.path);
      const entry = requireVersion(index, spec.path, component, version);
      return { descriptor: await readComponentDescriptor(session.root, spec.path, entry.digest) };
    } finally {
      await session.dispose();
    }
  },

  async listComponentVersions({ repository, component }) {
    const spec = parseCtfSpec(repository);
    const session = await openForRead(spec);
    try {
      const index = await readArtifactIndex(session.root, spec.path);
      const versions = componentVersions(index, component);
      if (versions.length === 0)
        throw notFoundError(spec.path, `component ${component}`, componentNames(index));
      return { versions: sortVersions([...new Set(versions)]) };
    } finally {
      await session.dispose();
    }
  },

  async addComponentVersion({ repository, descriptor, overwrite }) {
    const spec = parseCtfSpec(repository);
    const cd = parseDescriptor(JSON.stringify(descriptor), { source: "descriptor to add" });
    const { name, version } = cd.component;
    await withWriteSession(spec, async (root) => {
      const index = await readArtifactIndex(root, spec.path);
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
      await writeArtifactIndex(root, index);
    });
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
    const session = await openForRead(spec);
    try {
      const index = await readArtifactIndex(session.root, spec.path);
      const entry = requireVersion(index, spec.path, component, version);
      const layers = await manifestLayers(session.root, spec.path, entry.digest);
      const layer = layers.find((l) => l.digest === digest);
      if (layer === undefined) {
        throw notFoundError(
          spec.path,
          `local blob ${localReference} of ${component}:${version}`,
          layers.slice(1).map((l) => l.digest),
        );
      }
      // Opened before the session is disposed: an unpacked archive's file stays readable through the handle.
      const handle = await open(blobPath(session.root, digest)).catch((error: unknown) => {
        throw invalidError(spec.path, `blob ${digest} is listed in the manifest but missing`, error);
      });
      const size = (await handle.stat()).size;
      return {
        mediaType: mediaType ?? layer.mediaType,
        size,
        digest,
        content: verifiedStream(handle.createReadStream(), spec.path, digest),
      };
    } finally {
      await session.dispose();
    }
  },

  async addLocalBlob({ repository, mediaType, digest, size }, content) {
    const spec = parseCtfSpec(repository);
    const store = async (root: string) =>
      (await storedBlob(root, digest, size)) ?? (await writeBlobStream(root, content, { digest, size }));
    // Blobs are content-addressed and land by rename, so a directory CTF needs no lock for them: parallel
    // uploads of large blobs never wait on each other, and the index (written under the lock) names
    // a blob only after it is complete.
    const stored =
      spec.accessMode !== "readonly" && (await isPreparedDirectory(spec.path))
        ? await store(spec.path)
        : await withWriteSession(spec, store);
    return { localReference: stored.digest, mediaType, digest: stored.digest, size: stored.size };
  },
};
