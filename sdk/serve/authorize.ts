// The per-launch secret check (ADR 0001): `Authorization: Bearer <secret>` on every request, health included.
import { hash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { OcmError } from "../../core/errors.js";
import { AUTHORIZATION_HEADER } from "../../core/protocol/routes.js";

/** Returns a check that throws OCM_RPC_UNAUTHORIZED unless the request carries the secret. */
export function createAuthorizer(secret: string | undefined): (req: IncomingMessage) => void {
  if (secret === undefined) return () => undefined;
  // Hashing both sides gives equal lengths, so the comparison leaks neither the secret nor its length.
  const expected = digest(`Bearer ${secret}`);
  return (req) => {
    const given = req.headers[AUTHORIZATION_HEADER];
    if (typeof given === "string" && timingSafeEqual(digest(given), expected)) return;
    throw new OcmError({
      code: "OCM_RPC_UNAUTHORIZED",
      message: given === undefined ? "missing Authorization header" : "wrong Authorization header",
      hint: "Send `Authorization: Bearer <secret>` with the secret from the server config.",
    });
  };
}

/** One-shot hashing: no Hash object per request. */
function digest(text: string): Buffer {
  return hash("sha256", text, "buffer");
}
