// Which operations may be sent twice (ADR 0009, "What is idempotent"): reads, and computations whose
// answer depends on the request only. A remote call of one of these that failed by a connection error is
// sent again, on another instance when there is one; every other call fails and lets its caller decide.

/** Routes (core/protocol/operations.ts) without side effects. */
const IDEMPOTENT_ROUTES: ReadonlySet<string> = new Set([
  "get-component-version",
  "list-component-versions",
  "get-local-blob",
  "list-components",
  "get-resource",
  "consumer-identity",
  "resolve",
  "sign",
  "verify",
  "place-blob",
  "digest-resource",
]);

/**
 * Whether the operation at `route` may be repeated. Uploads never are: their body was consumed. Writes
 * (`add-*`) are not either: a first attempt may have stored what the second would find and refuse.
 */
export function isIdempotent(route: string): boolean {
  return IDEMPOTENT_ROUTES.has(route);
}
