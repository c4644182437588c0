// Reads a directory CTF in place. Nothing inside is followed if it is a link: blobs/ must be a real
// directory and every file is opened with O_NOFOLLOW (see regular-file.ts).
import { join } from "node:path";
import {
  BLOB_READ_CHUNK,
  openRegularFile,
  readRegularFile,
  requireRealDirectory,
} from "../../sdk/archive/index.js";
import { INDEX_FILE, parseArtifactIndex, INDEX_CAP, type ArtifactIndex } from "./artifact-index.js";
import { invalidError } from "./ctf-errors.js";
import {
  SMALL_BLOB_CAP,
  blobEntryName,
  checkDigest,
  checkSize,
  missingBlobError,
  type CtfReader,
  type OpenedBlob,
  verifiedStream,
} from "./ctf-reader.js";

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";

/** Opens the CTF directory `root` for reading. */
export async function openDirectoryReader(root: string, where = root): Promise<CtfReader> {
  await requireRealDirectory(join(root, "blobs"), "CTF");
  return {
    async readIndex(): Promise<ArtifactIndex> {
      const bytes = await readRegularFile(join(root, INDEX_FILE), INDEX_CAP, "CTF").catch(
        (error: unknown) => {
          throw isMissing(error) ? invalidError(where, `has no ${INDEX_FILE}`) : error;
        },
      );
      return parseArtifactIndex(bytes.toString("utf8"), where);
    },

    async readBlob(digest) {
      const path = join(root, blobEntryName(where, digest));
      const bytes = await readRegularFile(path, SMALL_BLOB_CAP, "CTF").catch((error: unknown) => {
        throw isMissing(error) ? missingBlobError(where, digest, error) : error;
      });
      return checkDigest(where, digest, bytes);
    },

    async openBlob(digest, size): Promise<OpenedBlob> {
      const path = join(root, blobEntryName(where, digest));
      const handle = await openRegularFile(path, "CTF").catch((error: unknown) => {
        throw isMissing(error) ? missingBlobError(where, digest, error) : error;
      });
      try {
        const actual = (await handle.stat()).size;
        checkSize(where, digest, size, actual);
        const content = handle.createReadStream({ highWaterMark: BLOB_READ_CHUNK });
        return { size: actual, content: verifiedStream(content, where, digest) };
      } catch (error) {
        await handle.close();
        throw error;
      }
    },
  };
}
