// The per-launch secret check (ADR 0001): `Authorization: Bearer <secret>` on every request, health included.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { OcmError } from "../../core/errors.js";
import { AUTHORIZATION_HEADER } from "../../core/protocol/routes.js";

/** Returns a check that throws OCM_RPC_UNAUTHORIZED unless the request carries the secret. */
export function createAuthorizer(secret: string | undefined): (req: IncomingMessage) => void {
  if (secret === undefined) return () => undefined;
  const expected = Buffer.from(`Bearer ${secret}`, "utf8");
  return (req) => {
    const given = req.headers[AUTHORIZATION_HEADER];
    if (typeof given === "string" && matches(given, expected)) return;
    throw new OcmError({
      code: "OCM_RPC_UNAUTHORIZED",
      message: given === undefined ? "missing Authorization header" : "wrong Authorization header",
      hint: "Send `Authorization: Bearer <secret>` with the secret from the server config.",
    });
  };
}

/**
 * Compares in constant time for a given length. Only the length can leak, and it says nothing useful:
 * the host makes every secret from 32 random bytes. (Hashing both sides first hid the length too, at
 * the cost of two SHA-256 runs on every call.)
 */
function matches(given: string, expected: Buffer): boolean {
  const bytes = Buffer.from(given, "utf8");
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}
