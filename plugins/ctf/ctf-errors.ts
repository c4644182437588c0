// Factories for the repository errors the CTF plugin raises, so messages name the CTF the same way everywhere.
import { OcmError } from "../../core/index.js";

/** What a CTF archive may hold, for the hint of a refused entry. */
export const CTF_HOLDS = "a CTF holds only artifact-index.json and blobs/sha256.<hex> files, no links";

const SHOWN = 20;
const listed = (items: readonly string[]) =>
  items.length > SHOWN
    ? `${items.slice(0, SHOWN).join(", ")} and ${items.length - SHOWN} more`
    : items.join(", ");

/** A component, version or blob that the CTF does not hold; `known` lists what it does hold. */
export function notFoundError(path: string, what: string, known: readonly string[]): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_NOT_FOUND",
    message: `CTF ${path}: ${what} not found`,
    hint: known.length > 0 ? `It holds: ${listed(known)}.` : "The CTF holds nothing that matches.",
    details: { path, known: [...known] },
  });
}

/** A CTF whose files are malformed. */
export function invalidError(path: string, message: string, cause?: unknown): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_INVALID",
    message: `CTF ${path}: ${message}`,
    hint: "A CTF is a directory, tar or tgz holding artifact-index.json and blobs/sha256.<hex>.",
    details: { path },
    cause,
  });
}

/** Bytes that do not hash to the digest they were announced or stored under. */
export function digestMismatchError(path: string, expected: string, actual: string): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_DIGEST_MISMATCH",
    message: `CTF ${path}: blob ${expected} has digest ${actual}`,
    hint: "The content is corrupt or was tampered with; fetch it again from a trusted source. Nothing was stored.",
    details: { path, expected, actual },
  });
}

/** A write that ran out of disk space, on the CTF's disk or in the temp directory. */
export function noSpaceError(path: string, tempDir: string, cause: unknown): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_NO_SPACE",
    message: `CTF ${path}: no space left on the device while writing (the CTF's disk, or the temp directory ${tempDir})`,
    hint: "Free space there, or set TMPDIR to a directory on a larger disk. The CTF was left as it was.",
    details: { path, tempDir },
    cause,
  });
}
