// One error type for the whole toolkit: a stable code, a message with the bad value, a hint, a cause.
// Errors cross the plugin boundary as JSON, so callers match on `code`, never on `instanceof`.

const BRAND = Symbol.for("ocm-ts.error");

/** Plain JSON form of an error, as it travels between a plugin and the host. */
export interface OcmErrorData {
  code: string;
  message: string;
  hint?: string | undefined;
  details?: Record<string, unknown> | undefined;
}

export interface OcmErrorInit extends OcmErrorData {
  cause?: unknown;
}

/** The base error of ocm-ts. `code` is stable (`OCM_<DOMAIN>_<WHAT>`) and listed in docs/errors.md. */
export class OcmError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(init: OcmErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "OcmError";
    this.code = init.code;
    this.hint = init.hint;
    this.details = init.details;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** The wire form: what a plugin sends and what `-o json` shows. */
  toJSON(): OcmErrorData {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** True for any OcmError, including one built by another copy of this module (a bundled plugin's). */
export function isOcmError(value: unknown): value is OcmError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** Builds an OcmError from its wire form. */
export function fromErrorData(data: OcmErrorData, cause?: unknown): OcmError {
  return new OcmError({ ...data, cause });
}

/** Wraps anything thrown into an OcmError, keeping OcmErrors as they are. */
export function toOcmError(error: unknown, fallbackCode = "OCM_INTERNAL"): OcmError {
  if (isOcmError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new OcmError({
    code: fallbackCode,
    message,
    hint:
      fallbackCode === "OCM_INTERNAL"
        ? "This is a bug in ocm-ts; please report it with the command you ran."
        : undefined,
    cause: error,
  });
}
