// componentVersionRepository for component archives: the one component version of component-descriptor.yaml
// and its local blobs in blobs/. Blobs are added first, the descriptor last (as the host calls them), and an
// archive never takes a second component version.
import { randomBytes } from "node:crypto";
import { lstat, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type ComponentVersionRepository,
  OcmError,
  parseDescriptor,
  type ComponentDescriptor,
  serializeDescriptorYaml,
} from "../../core/index.js";
import { ownerTag, readRegularFile } from "../../sdk/archive/index.js";
import { DESCRIPTOR_CAP, DESCRIPTOR_FILE, openComparch, type ComparchReader } from "./archive-reader.js";
import { blobFileName } from "./blob-names.js";
import { invalidError, notFoundError, singleVersionError } from "./comparch-errors.js";
import { presentLegacyAccesses, referencedBlobNames } from "./legacy-access.js";
import { parseComparchSpec } from "./repository-spec.js";
import { storeBlob } from "./store-blob.js";
import { withWriteSession } from "./write-session.js";

const nameOf = (cd: ComponentDescriptor) => `${cd.component.name}:${cd.component.version}`;

/** The archive's descriptor, parsed, its legacy accesses shown as localBlob. */
async function readDescriptor(reader: ComparchReader, where: string): Promise<ComponentDescriptor> {
  const bytes = await reader.readDescriptor();
  return presentLegacyAccesses(parseDescriptor(bytes, { source: `${where} ${DESCRIPTOR_FILE}` }));
}

/** The descriptor when it is `component`:`version`, else OCM_REPOSITORY_NOT_FOUND naming the one it holds. */
function requireVersion(cd: ComponentDescriptor, where: string, component: string, version: string) {
  if (cd.component.name === component && cd.component.version === version) return cd;
  const what =
    cd.component.name === component ? `version ${version} of ${component}` : `component ${component}`;
  throw notFoundError(where, what, `only ${nameOf(cd)}`);
}

/** The descriptor already in a write root, if there is one. */
async function existingDescriptor(root: string, where: string): Promise<ComponentDescriptor | undefined> {
  const bytes = await readRegularFile(join(root, DESCRIPTOR_FILE), DESCRIPTOR_CAP, "component archive").catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    },
  );
  return bytes === undefined ? undefined : parseDescriptor(bytes, { source: `${where} ${DESCRIPTOR_FILE}` });
}

/** Fails unless the archive holds nothing yet or `component`:`version` itself. */
function requireSameVersion(existing: ComponentDescriptor | undefined, where: string, wanted: string) {
  if (existing !== undefined && nameOf(existing) !== wanted)
    throw singleVersionError(where, nameOf(existing), wanted);
}

/** Writes the descriptor as YAML through a temp file renamed over the old one. */
async function writeDescriptor(root: string, cd: ComponentDescriptor): Promise<void> {
  const temp = join(root, `.${DESCRIPTOR_FILE}.${ownerTag()}-${randomBytes(6).toString("hex")}.tmp`);
  try {
    await writeFile(temp, serializeDescriptorYaml(cd), { flag: "wx", mode: 0o644 });
    await rename(temp, join(root, DESCRIPTOR_FILE));
  } finally {
    await rm(temp, { force: true });
  }
}

/** Reads and writes the one component version of a component archive and its local blobs. */
export const comparchComponentVersions: ComponentVersionRepository = {
  async getComponentVersion({ repository, component, version }) {
    const spec = parseComparchSpec(repository);
    const cd = await readDescriptor(await openComparch(spec.path), spec.path);
    return { descriptor: requireVersion(cd, spec.path, component, version) };
  },

  async listComponentVersions({ repository, component }) {
    const spec = parseComparchSpec(repository);
    const cd = await readDescriptor(await openComparch(spec.path), spec.path);
    if (cd.component.name !== component)
      throw notFoundError(spec.path, `component ${component}`, `only ${nameOf(cd)}`);
    return { versions: [cd.component.version] };
  },

  async addComponentVersion({ repository, descriptor, overwrite }) {
    const spec = parseComparchSpec(repository);
    const cd = parseDescriptor(JSON.stringify(descriptor), { source: "descriptor to add" });
    const wanted = nameOf(cd);
    await withWriteSession(spec, async (root) => {
      const existing = await existingDescriptor(root, spec.path);
      requireSameVersion(existing, spec.path, wanted);
      if (existing !== undefined && overwrite !== true) {
        throw new OcmError({
          code: "OCM_REPOSITORY_VERSION_EXISTS",
          message: `component archive ${spec.path} already holds ${wanted}`,
          hint: "Bump the version, or write it into another archive.",
          details: { path: spec.path, component: cd.component.name, version: cd.component.version },
        });
      }
      for (const reference of referencedBlobNames(cd)) {
        const name = blobFileName(spec.path, reference);
        const present = await lstat(join(root, "blobs", name)).then(
          () => true,
          () => false,
        );
        if (!present)
          throw invalidError(spec.path, `blob ${reference} of ${wanted} was not added before its descriptor`);
      }
      await writeDescriptor(root, cd);
    });
    return {};
  },

  async getLocalBlob({ repository, component, version, localReference, mediaType }) {
    const spec = parseComparchSpec(repository);
    const reader = await openComparch(spec.path);
    requireVersion(await readDescriptor(reader, spec.path), spec.path, component, version);
    const blob = await reader.openBlob(blobFileName(spec.path, localReference));
    return {
      mediaType: mediaType ?? "application/octet-stream",
      ...(blob.size === undefined ? {} : { size: blob.size }),
      ...(blob.digest === undefined ? {} : { digest: blob.digest }),
      content: blob.content,
    };
  },

  async addLocalBlob({ repository, component, version, mediaType, digest, size }, content) {
    const spec = parseComparchSpec(repository);
    const wanted = `${component}:${version}`;
    const stored = await withWriteSession(spec, async (root) => {
      requireSameVersion(await existingDescriptor(root, spec.path), spec.path, wanted);
      return storeBlob(root, spec.path, content, { digest, size });
    });
    return { localReference: stored.name, mediaType, digest: stored.digest, size: stored.size };
  },
};
