// The PEM form of a signature that carries its certificate chain (Go signutils.SignatureBytesToPem):
// a SIGNATURE block with a `Signature Algorithm` header, then the CERTIFICATE blocks, signer first.
import type { Buffer } from "node:buffer";
import type { X509Certificate } from "node:crypto";
import { encodePemBlock, parsePemBlocks } from "./pem.js";

/** Media type of a signature in PEM form. */
export const MEDIA_TYPE_PEM = "application/x-pem-file";

/** Writes the signature bytes and the chain as PEM. */
export function encodeSignaturePem(
  algorithm: string,
  signature: Uint8Array,
  chain: readonly X509Certificate[],
): string {
  const certificates = chain.map((c) => {
    const text = c.toString();
    return text.endsWith("\n") ? text : `${text}\n`;
  });
  return encodePemBlock("SIGNATURE", signature, { "Signature Algorithm": algorithm }) + certificates.join("");
}

/** The parts of a PEM signature, or undefined when it has no SIGNATURE block. */
export function decodeSignaturePem(
  text: string,
): { signature: Buffer; algorithm: string | undefined; chain: string | undefined } | undefined {
  const blocks = parsePemBlocks(text);
  const block = blocks.find((b) => b.label === "SIGNATURE");
  if (!block) return undefined;
  const certificates = blocks.filter((b) => b.label === "CERTIFICATE").map((b) => `${b.text}\n`);
  return {
    signature: block.bytes,
    algorithm: block.headers["Signature Algorithm"],
    chain: certificates.length > 0 ? certificates.join("") : undefined,
  };
}
