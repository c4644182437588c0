// Calls one operation of a capability implementation with the contract's validation on both sides.
// The SDK's server and the manager's in-process adapter both go through here, so an in-process plugin
// rejects and answers exactly as the same plugin behind a socket does.
import type { z } from "zod";
import type { CapabilityKind } from "./protocol/capabilities.js";
import type { Blob, BlobContent, CallOptions } from "./protocol/common.js";
import { OPERATIONS, type OperationSpec } from "./protocol/operations.js";
import { OcmError } from "./errors.js";

/** The operation table of a capability, or an error naming the capability. */
export function operationsOf(capability: CapabilityKind): Record<string, OperationSpec> {
  return OPERATIONS[capability] as Record<string, OperationSpec>;
}

/** Finds an operation by its route segment. */
export function findOperationByRoute(
  capability: CapabilityKind,
  route: string,
): { method: string; spec: OperationSpec } | undefined {
  for (const [method, spec] of Object.entries(operationsOf(capability))) {
    if (spec.route === route) return { method, spec };
  }
  return undefined;
}

/** Validates `value` against `schema`, throwing `code` with the dot path of the first bad field. */
export function validate<T extends z.ZodType>(
  schema: T,
  value: unknown,
  code: string,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.length ? issue.path.join(".") : "(root)";
  return throwInvalid(code, what, path, issue?.message ?? "invalid", result.error.issues);
}

function throwInvalid(code: string, what: string, path: string, message: string, issues: unknown): never {
  throw new OcmError({
    code,
    message: `${what}: field ${path}: ${message}`,
    hint: "Compare the value with the contract's JSON Schema in schemas/.",
    details: { path, issues },
  });
}

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/**
 * Runs `method` of `impl` with a validated request. For download operations the result is a Blob whose
 * metadata was validated; for upload operations `content` is passed through as the body stream.
 */
export async function invokeOperation(
  impl: object,
  spec: OperationSpec,
  method: string,
  request: unknown,
  content: BlobContent | undefined,
  options: CallOptions | undefined,
): Promise<unknown> {
  // Validated first: a malformed request is the caller's error even for an operation the plugin leaves out.
  const parsed = validate(spec.request, request, "OCM_RPC_BAD_REQUEST", `invalid ${method} request`);
  const fn = (impl as Record<string, unknown>)[method];
  if (typeof fn !== "function") {
    throw new OcmError({
      code: "OCM_RPC_NOT_FOUND",
      message: `operation ${method} is not implemented`,
      hint: "The plugin declares the capability but does not implement this operation.",
    });
  }
  const args: unknown[] = spec.kind === "upload" ? [parsed, content, options] : [parsed, options];
  const result = await (fn as AnyMethod).apply(impl, args);
  if (spec.kind === "download") {
    const blob = result as Blob;
    const { content: body, ...info } = blob ?? ({} as Blob);
    const meta = validate(spec.response, info, "OCM_RPC_BAD_RESPONSE", `invalid ${method} response`);
    if (!body || typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] !== "function") {
      throw new OcmError({
        code: "OCM_RPC_BAD_RESPONSE",
        message: `invalid ${method} response: content is not an async iterable of bytes`,
        hint: "Return { mediaType, content } where content is a Readable or an async iterable.",
      });
    }
    return { ...(meta as object), content: body } as Blob;
  }
  return validate(spec.response, result, "OCM_RPC_BAD_RESPONSE", `invalid ${method} response`);
}
