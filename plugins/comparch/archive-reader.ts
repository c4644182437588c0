// Read access to a component archive, the same for a directory and a tar/tgz file. A directory is read in
// place without following links; a tar or tgz is streamed with the SDK's checked walker (no links, `..`,
// absolute paths, duplicates or truncation) and never unpacked: one pass checks every entry and keeps the
// descriptor and small blobs (bounded); a larger blob is streamed out by another pass.
import { lstat } from "node:fs/promises";
import { join } from "node:path";
import {
  BLOB_READ_CHUNK,
  archiveEntries,
  detectFormat,
  openRegularFile,
  readRegularFile,
  requireRealDirectory,
} from "../../sdk/archive/index.js";
import { digestOfName, verifiedStream } from "./blob-names.js";
import { COMPARCH_HOLDS, invalidError, missingArchiveError, noVersionError } from "./comparch-errors.js";
import { directoryBlobTar } from "./directory-blob.js";

/** The descriptor file of a component archive. */
export const DESCRIPTOR_FILE = "component-descriptor.yaml";
/** The most bytes a descriptor may have. */
export const DESCRIPTOR_CAP = 8 << 20;
const KEEP_ENTRY = 1 << 20;
const KEEP_TOTAL = 32 << 20;
const KIND = "component archive";

/** A blob opened for streaming; its digest is checked at the end when its name is `sha256.<hex>`. */
export interface OpenedBlob {
  size?: number;
  digest?: string;
  content: AsyncGenerator<Uint8Array>;
}

/** A component archive opened for reading. */
export interface ComparchReader {
  /** The bytes of component-descriptor.yaml. */
  readDescriptor(): Promise<Buffer>;
  /** The blob `name` in blobs/; OCM_REPOSITORY_NOT_FOUND-like invalid error when it is missing. */
  openBlob(name: string): Promise<OpenedBlob>;
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";
const missingBlob = (where: string, name: string, cause?: unknown) =>
  invalidError(where, `blob blobs/${name} is referenced but missing`, cause);

function opened(where: string, name: string, size: number | undefined, source: AsyncIterable<Uint8Array>) {
  const digest = digestOfName(name);
  return {
    ...(size === undefined ? {} : { size }),
    ...(digest === undefined ? {} : { digest }),
    content: verifiedStream(source, `${where} blobs/${name}`, digest),
  };
}

/** Opens the component archive directory `root`. */
function openDirectoryReader(root: string): ComparchReader {
  return {
    async readDescriptor() {
      return readRegularFile(join(root, DESCRIPTOR_FILE), DESCRIPTOR_CAP, KIND).catch((error: unknown) => {
        throw isMissing(error) ? noVersionError(root) : error;
      });
    },

    async openBlob(name) {
      await requireRealDirectory(join(root, "blobs"), KIND);
      const path = join(root, "blobs", name);
      const info = await lstat(path).catch((error: unknown) => {
        throw isMissing(error) ? missingBlob(root, name, error) : error;
      });
      // Legacy archives may hold a blob as a directory: it is served as a tar of that directory.
      if (info.isDirectory()) return { content: await directoryBlobTar(path) };
      const handle = await openRegularFile(path, KIND);
      const size = (await handle.stat()).size;
      return opened(root, name, size, handle.createReadStream({ highWaterMark: BLOB_READ_CHUNK }));
    },
  };
}

async function* fromBuffer(bytes: Buffer): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** Opens the tar (or tgz, with `gzip`) component archive; checks every entry first. */
async function openArchiveReader(archive: string, gzip: boolean): Promise<ComparchReader> {
  const walk = () => archiveEntries(archive, gzip, { holds: COMPARCH_HOLDS });
  const sizes = new Map<string, number>();
  const kept = new Map<string, Buffer>();
  let budget = KEEP_TOTAL;
  for await (const entry of walk()) {
    if (entry.type !== "file") continue;
    sizes.set(entry.name, entry.size);
    if (entry.name === DESCRIPTOR_FILE) kept.set(entry.name, await entry.read(DESCRIPTOR_CAP));
    else if (entry.name.startsWith("blobs/") && entry.size <= KEEP_ENTRY && entry.size <= budget) {
      kept.set(entry.name, await entry.read(KEEP_ENTRY));
      budget -= entry.size;
    }
  }

  async function* body(name: string): AsyncGenerator<Uint8Array> {
    for await (const entry of walk()) {
      if (entry.name !== name) continue;
      yield* entry.chunks();
      return;
    }
    throw invalidError(archive, `entry ${name} disappeared while it was read`);
  }

  return {
    readDescriptor() {
      const bytes = kept.get(DESCRIPTOR_FILE);
      if (bytes === undefined) throw noVersionError(archive);
      return Promise.resolve(bytes);
    },

    openBlob(name) {
      const entry = `blobs/${name}`;
      const size = sizes.get(entry);
      if (size === undefined) throw missingBlob(archive, name);
      const bytes = kept.get(entry);
      return Promise.resolve(
        opened(archive, name, size, bytes === undefined ? body(entry) : fromBuffer(bytes)),
      );
    },
  };
}

/** Opens the component archive at `path` for reading, whatever its form. */
export async function openComparch(path: string): Promise<ComparchReader> {
  const format = await detectFormat(path);
  if (format === undefined) throw missingArchiveError(path);
  if (format === "unknown") throw invalidError(path, "is neither a directory nor a tar or tgz archive");
  if (format === "directory") return openDirectoryReader(path);
  return openArchiveReader(path, format === "tgz");
}
