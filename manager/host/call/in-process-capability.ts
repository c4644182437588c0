// The in-process form of a capability: the plugin's own implementation, called through the same request
// and response validation as the remote client (core/invoke.ts), so both behave alike.
import {
  invokeOperation,
  operationsOf,
  type BlobContent,
  type CallOptions,
  type CapabilityKind,
  type CapabilityMap,
} from "../../../core/index.js";

/** Wraps `impl` so every call is validated exactly as a call over a socket would be. */
export function createInProcessCapability<K extends CapabilityKind>(
  capability: K,
  impl: CapabilityMap[K],
): CapabilityMap[K] {
  const wrapped: Record<string, unknown> = {};
  for (const [method, spec] of Object.entries(operationsOf(capability))) {
    wrapped[method] =
      spec.kind === "upload"
        ? (request: unknown, content: BlobContent, options?: CallOptions) =>
            invokeOperation(impl, spec, method, request, content, options)
        : (request: unknown, options?: CallOptions) =>
            invokeOperation(impl, spec, method, request, undefined, options);
  }
  return wrapped as CapabilityMap[K];
}

/**
 * A capability whose implementation is made on the first call (an in-process plugin whose code is not yet
 * imported): every method awaits `resolve`, which the handle runs once for all of them.
 */
export function createDeferredCapability<K extends CapabilityKind>(
  capability: K,
  resolve: () => Promise<CapabilityMap[K]>,
): CapabilityMap[K] {
  type Method = (...args: unknown[]) => unknown;
  let made: Promise<CapabilityMap[K]> | undefined;
  const deferred: Record<string, Method> = {};
  for (const method of Object.keys(operationsOf(capability))) {
    deferred[method] = async (...args) => {
      made ??= resolve();
      const impl = (await made) as unknown as Record<string, Method>;
      return (impl[method] as Method)(...args);
    };
  }
  return deferred as CapabilityMap[K];
}
