// The errors a transfer raises itself; failures of the repositories come through with their own codes.
import { OcmError, isOcmError } from "../../../core/index.js";

/** No version of the component is left after the `latest`/`semver` selection. */
export function noMatchError(component: string, versions: readonly string[], semver?: string): OcmError {
  return new OcmError({
    code: "OCM_TRANSFER_NO_MATCH",
    message:
      semver === undefined
        ? `${component} has no versions to transfer`
        : `no version of ${component} satisfies ${JSON.stringify(semver)}`,
    hint: versions.length
      ? `Versions in the source: ${versions.join(", ")}.`
      : "Check the component name and the source repository.",
    details: { component, versions, ...(semver === undefined ? {} : { semver }) },
  });
}

/** A bad option value, as the caller passed it. */
export function invalidOptionError(message: string, hint: string): OcmError {
  return new OcmError({ code: "OCM_USAGE_INVALID", message, hint });
}

/** Names the element whose copy failed; the code stays that of the cause. */
export function elementError(error: unknown, where: string): unknown {
  if (!isOcmError(error)) return error;
  return new OcmError({
    code: error.code,
    message: `${where}: ${error.message}`,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(error.details === undefined ? {} : { details: error.details }),
    cause: error,
  });
}

/** True when a repository says it has no such component or version (or does not exist yet). */
export function isNotFound(error: unknown): boolean {
  return isOcmError(error) && error.code === "OCM_REPOSITORY_NOT_FOUND";
}
