// Whom to ask for credentials (ADR 0006): the consumer identity of a repository or access spec, as the
// plugin serving `consumerIdentity` for the spec's type answers it. The host knows no technology: a type
// without that capability gets no credentials, just as one whose plugin answers null.
import { isOcmError, type CapabilityProvider, type Identity, type TypedSpec } from "../../../core/index.js";

/**
 * The consumer identity of `spec`, or undefined when it needs no credentials (its plugin answers null, or
 * no plugin serves consumerIdentity for its type). Asks every time; the credential resolver caches.
 */
export async function consumerIdentityOf(
  manager: CapabilityProvider,
  spec: TypedSpec,
): Promise<Identity | undefined> {
  let provider;
  try {
    provider = await manager.getPlugin(spec.type, "consumerIdentity");
  } catch (error) {
    if (isOcmError(error) && error.code === "OCM_PLUGIN_NOT_FOUND") return undefined;
    throw error;
  }
  const { identity } = await provider.consumerIdentity({ spec });
  return identity ?? undefined;
}

/** A stable key of a flat map (a spec's top level, an identity), independent of key order. */
export function mapKey(map: Record<string, unknown>): string {
  return JSON.stringify(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
