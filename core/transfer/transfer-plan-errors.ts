// The errors a transfer's plan raises: a target that holds other content, and a bad option value.
import { OcmError } from "../errors.js";

/** The target holds the version with other content, and `overwrite` was not asked for. */
export function targetDiffersError(target: string, component: string, version: string): OcmError {
  return new OcmError({
    code: "OCM_TRANSFER_TARGET_DIFFERS",
    message: `${target} already holds ${component}:${version} with a different descriptor`,
    hint: "Pass --overwrite to replace it, or transfer to another repository.",
    details: { component, version },
  });
}
