// Factories for the errors the OCI plugin raises, so every message names the URL (never credentials) and
// the registry's own error code the same way.
import { OcmError, untrustedText } from "../../core/index.js";

/** A registry error as its JSON body reports it (distribution spec, "Error Codes"). */
export interface RegistryErrorBody {
  code?: string;
  message?: string;
}

// The registry's code and message are its own text: cut short and escaped before they reach a terminal.
const describe = (body: RegistryErrorBody | undefined) =>
  typeof body?.code === "string"
    ? ` (${untrustedText(body.code, 100)}${typeof body.message === "string" && body.message ? `: ${untrustedText(body.message, 1024)}` : ""})`
    : "";

/** 401/403 after every credential this call has was tried. */
export function unauthorizedError(
  method: string,
  url: string,
  status: number,
  body: RegistryErrorBody | undefined,
  hadCredentials: boolean,
): OcmError {
  return new OcmError({
    code: "OCM_OCI_UNAUTHORIZED",
    message: `${method} ${url}: ${status === 403 ? "access denied" : "authentication failed"} (HTTP ${status})${describe(body)}`,
    hint: hadCredentials
      ? "The registry rejected the credentials: check user name, password or token and their permissions for this repository."
      : "The registry needs credentials: configure them for this host (docker login or the ocm config file).",
    details: { url, status, ...(body?.code ? { registryCode: body.code } : {}) },
  });
}

/** A manifest, blob, repository or tag the registry does not have. */
export function registryNotFoundError(
  method: string,
  url: string,
  body: RegistryErrorBody | undefined,
): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_NOT_FOUND",
    message: `${method} ${url}: not found${describe(body)}`,
    hint: "Check the repository path, tag or digest; list what exists with `ocm get cv` or the registry's tags list.",
    details: { url, ...(body?.code ? { registryCode: body.code } : {}) },
  });
}

/** Any other failed request: a non-2xx status, a network error or a timeout. */
export function requestFailedError(
  method: string,
  url: string,
  why: string,
  body?: RegistryErrorBody,
  cause?: unknown,
): OcmError {
  return new OcmError({
    code: "OCM_OCI_REQUEST_FAILED",
    message: `${method} ${url}: ${why}${describe(body)}`,
    hint: "Check that the registry is reachable and healthy; retry, the operation is idempotent.",
    details: { url, ...(body?.code ? { registryCode: body.code } : {}) },
    cause,
  });
}

/** Bytes whose digest is not the one they were fetched or pushed under. */
export function ociDigestMismatchError(url: string, expected: string, actual: string): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_DIGEST_MISMATCH",
    message: `${url}: content has digest ${actual}, expected ${expected}`,
    hint: "The content is corrupt or was tampered with; nothing was stored under the expected digest.",
    details: { url, expected, actual },
  });
}

/** An upload whose bytes are not what was announced: `why` says how it is known (its size, the registry). */
export function ociUploadMismatchError(url: string, expected: string, why: string): OcmError {
  return new OcmError({
    code: "OCM_REPOSITORY_DIGEST_MISMATCH",
    message: `${url}: the content is not ${expected}: ${why}`,
    hint: "The content is corrupt or was tampered with; nothing was stored under the expected digest.",
    details: { url, expected },
  });
}

/** An image reference, repository spec or access that cannot be used. */
export function ociInvalidError(what: string, value: unknown, hint: string): OcmError {
  return new OcmError({
    code: "OCM_OCI_REFERENCE_INVALID",
    message: `${what} ${JSON.stringify(value)}`,
    hint,
    details: { value },
  });
}
