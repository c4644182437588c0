// Gives every capability call the credentials of its target, so callers (commands, transfer, library users)
// never handle secrets: the access of a resource is tried first, then the call's repository.
import {
  operationsOf,
  type CallOptions,
  type CapabilityKind,
  type CapabilityMap,
  type TypedSpec,
} from "../../core/index.js";
import { consumerIdentityOf } from "./consumer-identity.js";
import type { CredentialResolver } from "./credential-resolver.js";

type Method = (...args: unknown[]) => Promise<unknown>;

function targetsOf(request: unknown): TypedSpec[] {
  const r = request as { repository?: TypedSpec; resource?: { access?: TypedSpec } } | undefined;
  return [r?.resource?.access, r?.repository].filter(
    (spec): spec is TypedSpec => typeof spec?.type === "string",
  );
}

/** Wraps `impl` so calls without explicit credentials get those resolved for their target. */
export function injectCredentials<K extends CapabilityKind>(
  capability: K,
  impl: CapabilityMap[K],
  resolver: () => Promise<CredentialResolver>,
): CapabilityMap[K] {
  if (capability === "credentialRepository") return impl;
  const wrapped: Record<string, unknown> = {};
  for (const [method, spec] of Object.entries(operationsOf(capability))) {
    const fn = (impl as Record<string, Method>)[method];
    if (typeof fn !== "function") continue;
    const optionsIndex = spec.kind === "upload" ? 2 : 1;
    wrapped[method] = async (...args: unknown[]) => {
      const options = args[optionsIndex] as CallOptions | undefined;
      if (options?.credentials === undefined) {
        for (const target of targetsOf(args[0])) {
          const identity = consumerIdentityOf(target);
          if (!identity) continue;
          const credentials = await (await resolver()).resolve(identity);
          if (credentials) {
            args[optionsIndex] = { ...options, credentials };
            break;
          }
        }
      }
      return fn.apply(impl, args);
    };
  }
  return wrapped as CapabilityMap[K];
}
