// RSA signatures over a digest that is already computed. Node's crypto.sign hashes its input again, which
// would sign hash(digest); OCM signs the digest itself (Go rsa.SignPKCS1v15 / rsa.SignPSS with `hashed`),
// so both encodings are built here and only the raw RSA operation is left to node:crypto
// (RFC 8017 §9.1 EMSA-PSS, §9.2 EMSA-PKCS1-v1_5; docs/signing.md, "Algorithms").
import { Buffer } from "node:buffer";
import {
  constants,
  createHash,
  privateEncrypt,
  publicDecrypt,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from "node:crypto";
import type { HashAlgorithm } from "../../core/index.js";

const NODE_HASH: Record<HashAlgorithm, string> = { "SHA-256": "sha256", "SHA-512": "sha512" };

/** Length in bytes of a digest of `hash`. */
export const digestLength = (hash: HashAlgorithm): number => (hash === "SHA-256" ? 32 : 64);

/** DER prefix of the DigestInfo structure (RFC 8017 §9.2 note 1). */
const DIGEST_INFO: Record<HashAlgorithm, Buffer> = {
  "SHA-256": Buffer.from("3031300d060960864801650304020105000420", "hex"),
  "SHA-512": Buffer.from("3051300d060960864801650304020305000440", "hex"),
};

const modulusBits = (key: KeyObject): number => key.asymmetricKeyDetails?.modulusLength ?? 0;
const modulusBytes = (key: KeyObject): number => Math.ceil(modulusBits(key) / 8);

/** RSASSA-PKCS1-v1_5 signature of a precomputed digest; deterministic. */
export function signPkcs1v15(key: KeyObject, hash: HashAlgorithm, digest: Uint8Array): Buffer {
  return privateEncrypt(
    { key, padding: constants.RSA_PKCS1_PADDING },
    Buffer.concat([DIGEST_INFO[hash], digest]),
  );
}

/** True if `signature` is an RSASSA-PKCS1-v1_5 signature of `digest` under `key`. */
export function verifyPkcs1v15(
  key: KeyObject,
  hash: HashAlgorithm,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (signature.length !== modulusBytes(key)) return false;
  let recovered: Buffer;
  try {
    recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
  const expected = Buffer.concat([DIGEST_INFO[hash], digest]);
  return recovered.length === expected.length && timingSafeEqual(recovered, expected);
}

function mgf1(seed: Buffer, length: number, hash: HashAlgorithm): Buffer {
  const chunks: Buffer[] = [];
  for (let counter = 0, size = 0; size < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const chunk = createHash(NODE_HASH[hash]).update(seed).update(c).digest();
    chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).subarray(0, length);
}

const pssHash = (hash: HashAlgorithm, digest: Uint8Array, salt: Uint8Array): Buffer =>
  createHash(NODE_HASH[hash]).update(Buffer.alloc(8)).update(digest).update(salt).digest();

/**
 * RSASSA-PSS signature of a precomputed digest with MGF1 over the same hash and the longest salt that fits,
 * as Go's rsa.SignPSS does with nil options (PSSSaltLengthAuto).
 */
export function signPss(key: KeyObject, hash: HashAlgorithm, digest: Uint8Array): Buffer {
  const emBits = modulusBits(key) - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = digestLength(hash);
  const saltLength = emLen - hLen - 2;
  const salt = randomBytes(saltLength);
  const h = pssHash(hash, digest, salt);
  const db = Buffer.concat([Buffer.alloc(emLen - saltLength - hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(h, db.length, hash);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] as number) ^ (mask[i] as number);
  db[0] = (db[0] as number) & (0xff >> (8 * emLen - emBits));
  const em = Buffer.concat([Buffer.alloc(modulusBytes(key) - emLen), db, h, Buffer.from([0xbc])]);
  return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, em);
}

/** True if `signature` is an RSASSA-PSS signature of `digest` under `key`; the salt length is detected. */
export function verifyPss(
  key: KeyObject,
  hash: HashAlgorithm,
  digest: Uint8Array,
  signature: Uint8Array,
): boolean {
  const k = modulusBytes(key);
  if (signature.length !== k) return false;
  let m: Buffer;
  try {
    m = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return false;
  }
  const emBits = modulusBits(key) - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = digestLength(hash);
  if (m.length !== k || m.subarray(0, k - emLen).some((b) => b !== 0)) return false;
  const em = m.subarray(k - emLen);
  if (emLen < hLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const topMask = 0xff >> (8 * emLen - emBits);
  if (((em[0] as number) & ~topMask & 0xff) !== 0) return false;
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const db = Buffer.from(em.subarray(0, emLen - hLen - 1));
  const mask = mgf1(h, db.length, hash);
  for (let i = 0; i < db.length; i++) db[i] = (db[i] as number) ^ (mask[i] as number);
  db[0] = (db[0] as number) & topMask;
  const one = db.findIndex((b) => b !== 0);
  if (one < 0 || db[one] !== 1) return false;
  return timingSafeEqual(pssHash(hash, digest, db.subarray(one + 1)), h);
}
