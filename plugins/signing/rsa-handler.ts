// The signingHandler of one RSA signature scheme: sign a digest with a PEM private key (optionally with a
// certificate chain) and verify a stored signature against a public key or a trusted CA.
import { Buffer } from "node:buffer";
import type { KeyObject, X509Certificate } from "node:crypto";
import { OcmError, type SigningHandler, toHashAlgorithm, type HashAlgorithm } from "../../core/index.js";
import { checkChain, sameDn, subjectDn } from "./certificates.js";
import { digestLength } from "./rsa-prehashed.js";
import { parseCertificates, parsePrivateKey, parsePublicKey, samePublicKey } from "./rsa-keys.js";
import { decodeSignaturePem, encodeSignaturePem, MEDIA_TYPE_PEM } from "./signature-pem.js";

/** An RSA signature scheme: its OCM name, its plain media type and the raw operations over a digest. */
export interface RsaScheme {
  algorithm: string;
  mediaType: string;
  sign(key: KeyObject, hash: HashAlgorithm, digest: Uint8Array): Buffer;
  verify(key: KeyObject, hash: HashAlgorithm, digest: Uint8Array, signature: Uint8Array): boolean;
}

function digestBytes(digest: { hashAlgorithm: string; value: string }): {
  hash: HashAlgorithm;
  bytes: Buffer;
} {
  const hash = toHashAlgorithm(digest.hashAlgorithm);
  const bytes = Buffer.from(digest.value, "hex");
  if (bytes.length !== digestLength(hash)) {
    throw new OcmError({
      code: "OCM_SIGNING_DIGEST_UNSUPPORTED",
      message: `digest ${digest.value} has ${bytes.length} bytes, but a ${hash} digest has ${digestLength(hash)}`,
      hint: "Pass the hex value of the digest, computed with the hash algorithm it names.",
    });
  }
  return { hash, bytes };
}

function untrusted(message: string): OcmError {
  return new OcmError({
    code: "OCM_SIGNING_CERTIFICATE_UNTRUSTED",
    message,
    hint: "Sign with a certificate issued by the given CA, and check its validity period and subject.",
  });
}

type Verdict = { ok: true } | { ok: false; reason: "signature" | "certificate" | "issuer"; message: string };

/** The signature bytes and carried chain of a stored signature, or why it cannot be read. */
function readSignature(
  scheme: RsaScheme,
  signature: { algorithm: string; mediaType: string; value: string },
) {
  if (signature.mediaType === scheme.mediaType) {
    if (!/^([0-9a-fA-F]{2})+$/.test(signature.value)) return "its value is not hex";
    return { bytes: Buffer.from(signature.value, "hex"), chain: undefined };
  }
  if (signature.mediaType === MEDIA_TYPE_PEM) {
    const pem = decodeSignaturePem(signature.value);
    if (!pem) return "its PEM value has no SIGNATURE block";
    if (pem.algorithm !== undefined && pem.algorithm !== scheme.algorithm) {
      return `its PEM value names algorithm ${pem.algorithm}`;
    }
    return { bytes: pem.signature, chain: pem.chain };
  }
  return `its media type ${signature.mediaType} is neither ${scheme.mediaType} nor ${MEDIA_TYPE_PEM}`;
}

/** Builds the signingHandler of `scheme`. */
export function createRsaHandler(scheme: RsaScheme): SigningHandler {
  return {
    async sign({ digest, privateKey, certificateChain, rootCertificates, issuer }) {
      const key = parsePrivateKey(privateKey);
      const { hash, bytes } = digestBytes(digest);
      const value = scheme.sign(key, hash, bytes);
      if (!certificateChain) {
        return {
          signature: {
            algorithm: scheme.algorithm,
            mediaType: scheme.mediaType,
            value: value.toString("hex"),
          },
        };
      }
      const chain = parseCertificates(certificateChain, "certificate chain");
      const signer = chain[0] as X509Certificate;
      if (!samePublicKey(signer.publicKey, key)) {
        throw new OcmError({
          code: "OCM_SIGNING_KEY_INVALID",
          message: `the certificate ${subjectDn(signer)} does not belong to the private key`,
          hint: "Put the signer's own certificate first in the chain.",
        });
      }
      if (rootCertificates) {
        const problem = checkChain(chain, parseCertificates(rootCertificates, "root certificates"));
        if (problem) throw untrusted(problem);
      }
      const dn = subjectDn(signer);
      if (issuer !== undefined && !sameDn(issuer, dn))
        throw untrusted(`the certificate names ${dn}, not ${issuer}`);
      return {
        signature: {
          algorithm: scheme.algorithm,
          mediaType: MEDIA_TYPE_PEM,
          value: encodeSignaturePem(scheme.algorithm, value, chain),
          issuer: dn,
        },
      };
    },

    async verify({ digest, signature, publicKey, rootCertificates }): Promise<Verdict> {
      const { hash, bytes } = digestBytes(digest);
      if (signature.algorithm !== scheme.algorithm) {
        return {
          ok: false,
          reason: "signature",
          message: `the signature is ${signature.algorithm}, not ${scheme.algorithm}`,
        };
      }
      const read = readSignature(scheme, signature);
      if (typeof read === "string")
        return { ok: false, reason: "signature", message: `the signature cannot be read: ${read}` };
      let key: KeyObject | undefined;
      let signer: X509Certificate | undefined;
      if (rootCertificates) {
        if (!read.chain)
          return {
            ok: false,
            reason: "certificate",
            message: "the signature carries no certificate chain to check against the CA",
          };
        const chain = parseCertificates(read.chain, "signature's certificate chain");
        const problem = checkChain(chain, parseCertificates(rootCertificates, "CA certificates"));
        if (problem) return { ok: false, reason: "certificate", message: problem };
        signer = chain[0] as X509Certificate;
        key = signer.publicKey;
      }
      if (publicKey) {
        const given = parsePublicKey(publicKey);
        if (key && !samePublicKey(key, given.key)) {
          return {
            ok: false,
            reason: "signature",
            message: "the given public key is not the key of the signer's certificate",
          };
        }
        key = given.key;
        signer ??= given.certificate;
      }
      if (!key) {
        throw new OcmError({
          code: "OCM_SIGNING_KEY_INVALID",
          message: "no public key and no CA given to verify the signature with",
          hint: "Pass --public-key <file> or --ca <file>.",
        });
      }
      if (signer && signature.issuer && !sameDn(signature.issuer, subjectDn(signer))) {
        return {
          ok: false,
          reason: "issuer",
          message: `the signature names issuer ${signature.issuer}, the certificate ${subjectDn(signer)}`,
        };
      }
      if (!scheme.verify(key, hash, bytes, read.bytes)) {
        return {
          ok: false,
          reason: "signature",
          message: `the ${scheme.algorithm} signature does not verify with the given key`,
        };
      }
      return { ok: true };
    },
  };
}
