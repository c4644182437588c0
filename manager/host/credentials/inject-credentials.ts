// Gives every capability call the credentials of its target, so callers (commands, transfer, library users)
// never handle secrets: the access of a resource is tried first, then the call's repository.
import {
  canonicalAccessType,
  operationsOf,
  type CallOptions,
  type CapabilityKind,
  type CapabilityMap,
  type CredentialRepository,
  type Identity,
  type TypedSpec,
} from "../../../core/index.js";
import type { CredentialResolver } from "./credential-resolver.js";

type Method = (...args: unknown[]) => Promise<unknown>;

function accessOf(request: unknown): unknown {
  return (request as { resource?: { access?: unknown } } | undefined)?.resource?.access;
}

// Accesses that name no place of their own: a local blob lives in the call's repository (whose identity
// follows), a `none` access has no content. Asking a plugin about them would be asking nobody.
const PLACELESS_ACCESS = new Set(["LocalBlob/v1", "none"]);

function targetsOf(request: unknown): TypedSpec[] {
  const r = request as { repository?: TypedSpec; resource?: { access?: TypedSpec } } | undefined;
  return [r?.resource?.access, r?.repository].filter(
    (spec): spec is TypedSpec =>
      typeof spec?.type === "string" && !PLACELESS_ACCESS.has(canonicalAccessType(spec.type) ?? ""),
  );
}

/** The consumer identity of an access spec, as the plugin serving that access type names it. */
export type AccessIdentity = (access: TypedSpec) => Promise<Identity | undefined>;

/**
 * An AccessIdentity asking `repository`: a plugin that serves an access type and also offers
 * credentialRepository for it answers `consumer-identity` for the access spec (issue #14). The older form
 * of the consumerIdentity capability, still honoured for an access type that lacks that capability.
 */
export function accessIdentityFrom(repository: CredentialRepository): AccessIdentity {
  return async (access) => (await repository.consumerIdentity({ config: access })).identity ?? undefined;
}

/**
 * Wraps `impl` so calls without explicit credentials get those resolved for their target: the consumer
 * identity its type's consumerIdentity plugin answers (ADR 0006), for a resource's access else
 * `accessIdentity`'s answer.
 */
export function injectCredentials<K extends CapabilityKind>(
  capability: K,
  impl: CapabilityMap[K],
  resolver: () => Promise<CredentialResolver>,
  accessIdentity?: AccessIdentity,
): CapabilityMap[K] {
  // Credential sources and identity answers are what resolving is made of: they get none themselves.
  if (capability === "credentialRepository" || capability === "consumerIdentity") return impl;
  const wrapped: Record<string, unknown> = {};
  for (const [method, spec] of Object.entries(operationsOf(capability))) {
    const fn = (impl as Record<string, Method>)[method];
    if (typeof fn !== "function") continue;
    const optionsIndex = spec.kind === "upload" ? 2 : 1;
    wrapped[method] = async (...args: unknown[]) => {
      const options = args[optionsIndex] as CallOptions | undefined;
      if (options?.credentials === undefined) {
        for (const target of targetsOf(args[0])) {
          const isAccess = target === accessOf(args[0]);
          const credentialResolver = await resolver();
          const identity =
            (await credentialResolver.identityOf(target)) ??
            (isAccess ? await accessIdentity?.(target) : undefined);
          if (!identity) continue;
          const credentials = await credentialResolver.resolve(identity);
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
