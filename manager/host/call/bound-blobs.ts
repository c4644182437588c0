// A blob's bytes are bounded by what the plugin declared for it: a plugin (or the repository behind it)
// that streams more than its declared size, or never ends, is cut off at once instead of filling a disk.
import {
  OcmError,
  operationsOf,
  type Blob,
  type CapabilityKind,
  type CapabilityMap,
} from "../../../core/index.js";
import { formatBytes } from "./read-body.js";

type Method = (...args: unknown[]) => Promise<unknown>;

export interface BlobBounds {
  pluginId: string;
  /** Bound on a blob whose size is not declared, in bytes; undefined for none. */
  maxBlobBytes?: number | undefined;
}

/** What a download was for: `getLocalBlob of acme.org/x:1.0.0 (plugin ctf)`. */
function describeCall(method: string, request: unknown, pluginId: string): string {
  const r = request as { component?: unknown; version?: unknown } | undefined;
  const of =
    typeof r?.component === "string"
      ? ` of ${r.component}${typeof r.version === "string" ? `:${r.version}` : ""}`
      : "";
  return `${method}${of} (plugin ${pluginId})`;
}

async function* bounded(
  content: AsyncIterable<Uint8Array>,
  size: number | undefined,
  max: number | undefined,
  what: string,
): AsyncGenerator<Uint8Array> {
  const limit = size ?? max;
  let received = 0;
  for await (const chunk of content) {
    received += chunk.byteLength;
    if (limit !== undefined && received > limit) {
      throw size !== undefined
        ? new OcmError({
            code: "OCM_BLOB_SIZE_MISMATCH",
            message: `${what} sent more than the ${size} bytes declared for the blob; stopped after ${received} bytes`,
            hint: "The plugin or the repository behind it is faulty or hostile; nothing was kept.",
            details: { declared: size, received },
          })
        : new OcmError({
            code: "OCM_BLOB_TOO_LARGE",
            message: `${what} sent a blob of undeclared size larger than ${formatBytes(limit)}, the configured maximum; stopped after ${received} bytes`,
            hint: "Raise maxBlobSize in the plugin.config.ocm.software/v1 entry of the ocm config if the blob is genuinely this large.",
            details: { limit, received },
          });
    }
    yield chunk;
  }
  if (size !== undefined && received < size) {
    throw new OcmError({
      code: "OCM_BLOB_SIZE_MISMATCH",
      message: `${what} ended the blob after ${received} of the ${size} bytes declared for it`,
      hint: "The blob was cut short on the way; try again, and fetch it from a trusted source if it recurs.",
      details: { declared: size, received },
    });
  }
}

/** The size an access states for its bytes (e.g. `ociBlob`'s `size`), when the plugin declares none. */
function accessSize(request: unknown): number | undefined {
  const size = (request as { resource?: { access?: { size?: unknown } } } | undefined)?.resource?.access
    ?.size;
  return typeof size === "number" && Number.isSafeInteger(size) && size >= 0 ? size : undefined;
}

/** Wraps every download operation of `impl` so its blob stops at its declared size (or the maximum). */
export function boundBlobs<K extends CapabilityKind>(
  capability: K,
  impl: CapabilityMap[K],
  bounds: BlobBounds,
): CapabilityMap[K] {
  const downloads = Object.entries(operationsOf(capability)).filter(([, spec]) => spec.kind === "download");
  if (downloads.length === 0) return impl;
  const wrapped: Record<string, unknown> = { ...(impl as Record<string, unknown>) };
  for (const [method] of downloads) {
    const fn = (impl as Record<string, Method>)[method];
    if (typeof fn !== "function") continue;
    wrapped[method] = async (...args: unknown[]) => {
      const blob = (await fn.apply(impl, args)) as Blob;
      const what = describeCall(method, args[0], bounds.pluginId);
      const size = blob.size ?? accessSize(args[0]);
      return { ...blob, content: bounded(blob.content, size, bounds.maxBlobBytes, what) };
    };
  }
  return wrapped as CapabilityMap[K];
}
