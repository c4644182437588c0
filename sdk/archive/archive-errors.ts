// Factories for the errors about a tar/tgz archive a plugin reads, so each names the archive, the entry and
// what to do. `holds` says what the archive may hold ("a CTF holds only artifact-index.json and blobs/…").
import { OcmError } from "../../core/errors.js";

const NOTHING_WRITTEN = "Nothing was written.";
const ONLY_FILES = "it may hold only regular files and directories, no links";

/** An entry that is not a regular file or directory, or whose path leaves the archive. */
export function unsafeEntryError(archive: string, entry: string, why: string, holds = ONLY_FILES): OcmError {
  return new OcmError({
    code: "OCM_ARCHIVE_UNSAFE_ENTRY",
    message: `archive ${archive}: entry ${JSON.stringify(entry)} ${why}`,
    hint: `Do not use this archive; ${holds}. ${NOTHING_WRITTEN}`,
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

/** A tar or gzip stream that is malformed (a corrupt header, a bad size, not gzip at all). */
export function malformedArchiveError(archive: string, what: string, cause?: unknown): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_INVALID",
    message: `archive ${archive} ${what}`,
    hint: "The file is not a well-formed tar or tgz archive; fetch or write it again from a trusted source.",
    details: { path: archive },
    cause,
  });
}

/**
 * An entry or a whole archive larger than allowed; `raiseWith` names the variable that raises the limit,
 * absent for limits no trusted archive reaches.
 */
export function tooLargeError(archive: string, what: string, limit: number, raiseWith?: string): OcmError {
  return new OcmError({
    code: "OCM_ARCHIVE_TOO_LARGE",
    message: `archive ${archive}: ${what}, more than the limit of ${limit} bytes`,
    hint:
      raiseWith === undefined
        ? `Do not use this archive; the entry is larger than any such entry written by OCM tools. ${NOTHING_WRITTEN}`
        : `Do not use this archive unless you trust it; to allow it, set ${raiseWith}=<bytes> (now ${limit}). ${NOTHING_WRITTEN}`,
    details: { archive, limit },
  });
}
