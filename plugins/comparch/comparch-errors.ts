// Factories for the errors of the Component Archive plugin, so every message names the archive the same way.
import { OcmError } from "../../core/index.js";

/** What a component archive may hold, for the hint of a refused tar entry or link. */
export const COMPARCH_HOLDS =
  "a component archive holds only component-descriptor.yaml and blobs/ files, no links";

/** The variable that raises the unpacked-size limit of component archive writes. */
export const MAX_UNPACKED_ENV = "OCM_COMPARCH_MAX_UNPACKED_SIZE";

/** A component, version or blob the archive does not hold; `holds` says what it does hold. */
export function notFoundError(path: string, what: string, holds: string): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_NOT_FOUND",
    message: `component archive ${path}: ${what} not found`,
    hint: `It holds ${holds}.`,
    details: { path },
  });
}

/** No archive at the path. */
export function missingArchiveError(path: string): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_NOT_FOUND",
    message: `component archive ${path} does not exist`,
    hint: "Check the path; writing a component version to it (ocm transfer) creates it.",
    details: { path },
  });
}

/** An archive without component-descriptor.yaml (only blobs so far, or an empty directory). */
export function noVersionError(path: string): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_NOT_FOUND",
    message: `component archive ${path} holds no component-descriptor.yaml, so no component version`,
    hint: "Write a component version into it first (ocm transfer), or check the path.",
    details: { path },
  });
}

/** An archive whose files are malformed or missing. */
export function invalidError(path: string, message: string, cause?: unknown): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_INVALID",
    message: `component archive ${path}: ${message}`,
    hint: "A component archive is a directory, tar or tgz holding component-descriptor.yaml and blobs/<file>.",
    details: { path },
    cause,
  });
}

/** Bytes that do not hash to the digest their file name or the request announced. */
export function digestMismatchError(path: string, expected: string, actual: string): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_DIGEST_MISMATCH",
    message: `component archive ${path}: blob ${expected} has digest ${actual}`,
    hint: "The content is corrupt or was tampered with; fetch it again from a trusted source. Nothing was stored.",
    details: { path, expected, actual },
  });
}

/** A second component version written into an archive that holds one already. */
export function singleVersionError(path: string, holds: string, wanted: string): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_SINGLE_VERSION",
    message: `component archive ${path} holds ${holds}; it cannot also hold ${wanted}`,
    hint: "A component archive holds exactly one component version: write the other one into a new archive or a CTF. Nothing was written.",
    details: { path, holds, wanted },
  });
}

/** A write to an archive opened read-only. */
export function readonlyError(path: string): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_INVALID",
    message: `component archive ${path} is opened readonly and cannot be written`,
    hint: 'Use accessMode "readwrite" (or leave it out) to write to this archive.',
    details: { path },
  });
}
