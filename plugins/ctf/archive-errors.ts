// Factories for the errors about the tar/tgz file of a CTF, so each names the archive, the entry and what to do.
import { OcmError } from "../../core/index.js";

const NOTHING_WRITTEN = "Nothing was written.";

/** An entry that is not a regular file or directory, or whose path leaves the archive. */
export function unsafeEntryError(archive: string, entry: string, why: string): OcmError {
  return new OcmError({
    code: "OCM_ARCHIVE_UNSAFE_ENTRY",
    message: `archive ${archive}: entry ${JSON.stringify(entry)} ${why}`,
    hint: `Do not use this archive; a CTF holds only artifact-index.json and blobs/sha256.<hex> files, no links. ${NOTHING_WRITTEN}`,
    details: { archive, entry },
  });
}

/** The same entry twice: tar readers disagree about which copy counts. */
export function duplicateEntryError(archive: string, entry: string): OcmError {
  return new OcmError({
    code: "OCM_ARCHIVE_DUPLICATE_ENTRY",
    message: `archive ${archive}: entry ${JSON.stringify(entry)} appears more than once`,
    hint: `Do not use this archive; rewrite it from a trusted source with every entry once. ${NOTHING_WRITTEN}`,
    details: { archive, entry },
  });
}

/** An archive that ends before its entries or its gzip stream do. */
export function truncatedError(archive: string, what: string, cause?: unknown): OcmError {
  return new OcmError({
    code: "OCM_ARCHIVE_TRUNCATED",
    message: `archive ${archive} is truncated: ${what}`,
    hint: "The file is incomplete (an interrupted copy or download); fetch or write it again.",
    details: { archive },
    cause,
  });
}

/** The variable that raises the unpacked-size limit of CTF archive writes. */
export const MAX_UNPACKED_ENV = "OCM_CTF_MAX_UNPACKED_SIZE";

/** An entry or a whole archive larger than allowed. */
export function tooLargeError(archive: string, what: string, limit: number, raise = true): OcmError {
  return new OcmError({
    code: "OCM_ARCHIVE_TOO_LARGE",
    message: `archive ${archive}: ${what}, more than the limit of ${limit} bytes`,
    hint: raise
      ? `Do not use this archive unless you trust it; to allow it, set ${MAX_UNPACKED_ENV}=<bytes> (now ${limit}). ${NOTHING_WRITTEN}`
      : `Do not use this archive; the entry is larger than any such entry written by OCM tools. ${NOTHING_WRITTEN}`,
    details: { archive, limit },
  });
}
