// Reads RSA keys and certificates from PEM text and refuses anything else with OCM_SIGNING_KEY_INVALID.
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from "node:crypto";
import { isOcmError, OcmError } from "../../core/index.js";
import { parsePemBlocks } from "./pem.js";

function invalidKey(what: string, reason: string, cause?: unknown): OcmError {
  return new OcmError({
    code: "OCM_SIGNING_KEY_INVALID",
    message: `the ${what} is not usable: ${reason}`,
    hint: "Pass a PEM file: RSA PRIVATE KEY or PRIVATE KEY to sign; RSA PUBLIC KEY, PUBLIC KEY or CERTIFICATE to verify.",
    cause,
  });
}

function requireRsa(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== "rsa")
    throw invalidKey(what, `it is a ${key.asymmetricKeyType ?? "unknown"} key, not RSA`);
  return key;
}

/** An RSA private key from PEM (PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`). */
export function parsePrivateKey(pem: string): KeyObject {
  if (parsePemBlocks(pem).length === 0) throw invalidKey("private key", "no PEM block found");
  try {
    return requireRsa(createPrivateKey({ key: pem, format: "pem" }), "private key");
  } catch (error) {
    if (isOcmError(error)) throw error;
    throw invalidKey("private key", error instanceof Error ? error.message : String(error), error);
  }
}

/** Certificates of a PEM bundle, in order; `what` names the input in errors. */
export function parseCertificates(pem: string, what: string): X509Certificate[] {
  const blocks = parsePemBlocks(pem).filter((b) => b.label === "CERTIFICATE");
  if (blocks.length === 0) throw invalidKey(what, "no CERTIFICATE block found");
  return blocks.map((block) => {
    try {
      return new X509Certificate(block.text);
    } catch (error) {
      throw invalidKey(what, error instanceof Error ? error.message : String(error), error);
    }
  });
}

/** A public key to verify with, from PKCS#1, PKIX or a certificate (then also the certificate). */
export interface VerificationKey {
  key: KeyObject;
  certificate?: X509Certificate;
}

/** An RSA public key from PEM: `RSA PUBLIC KEY`, `PUBLIC KEY` or `CERTIFICATE` (its first block counts). */
export function parsePublicKey(pem: string): VerificationKey {
  const first = parsePemBlocks(pem)[0];
  if (!first) throw invalidKey("public key", "no PEM block found");
  if (first.label === "CERTIFICATE") {
    const certificate = parseCertificates(first.text, "public key certificate")[0] as X509Certificate;
    return { key: requireRsa(certificate.publicKey, "public key certificate"), certificate };
  }
  try {
    return { key: requireRsa(createPublicKey({ key: first.text, format: "pem" }), "public key") };
  } catch (error) {
    if (isOcmError(error)) throw error;
    throw invalidKey("public key", error instanceof Error ? error.message : String(error), error);
  }
}

/** True when two keys are the same public key. */
export function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  const der = (k: KeyObject) =>
    (k.type === "public" ? k : createPublicKey(k)).export({ type: "spki", format: "der" });
  return der(a).equals(der(b));
}
