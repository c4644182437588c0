// `ocm create rsakeypair`: a new RSA key pair in the PEM forms the signing plugin reads (PKCS#1
// `RSA PRIVATE KEY` and `RSA PUBLIC KEY`, as the Go `ocm` writes them). Both files appear or neither does;
// existing files are kept unless `force` is given.
import { generateKeyPair } from "node:crypto";
import { chmod, link, rename, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { OcmError } from "../../core/index.js";

export interface CreateRsaKeyPairOptions {
  /** Where the private key goes (mode 0600). */
  privateKeyPath: string;
  /** Where the public key goes; default derived from the private key's name (see publicKeyPathFor). */
  publicKeyPath?: string | undefined;
  /** Replace existing files. */
  force?: boolean | undefined;
  /** Modulus length in bits; default 2048, as the Go `ocm`. */
  bits?: number | undefined;
}

export interface CreatedRsaKeyPair {
  privateKeyPath: string;
  publicKeyPath: string;
  bits: number;
}

/** The Go `ocm`'s public key name for a private key file: `x.priv` → `x.pub`, `x` → `x.pub`. */
export function publicKeyPathFor(privateKeyPath: string): string {
  return privateKeyPath.endsWith(".priv") ? `${privateKeyPath.slice(0, -5)}.pub` : `${privateKeyPath}.pub`;
}

const generate = promisify(generateKeyPair);

function keyExists(path: string): OcmError {
  return new OcmError({
    code: "OCM_SIGNING_KEY_EXISTS",
    message: `${path} already exists; no key was written`,
    hint: "Choose another file name, or pass --force to replace the existing key pair.",
    details: { path },
  });
}

/** Writes `text` to a temp file beside `path` with `mode`; returns the temp file. */
async function stage(path: string, text: string, mode: number): Promise<string> {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, text, { mode, flag: "wx" });
  await chmod(temp, mode);
  return temp;
}

/** Moves a staged file into place; without `force` it fails when `path` appeared in the meantime. */
async function place(temp: string, path: string, force: boolean): Promise<void> {
  if (force) return rename(temp, path);
  try {
    await link(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw keyExists(path);
    throw error;
  }
  await rm(temp, { force: true });
}

/** Generates an RSA key pair and writes it; throws OCM_SIGNING_KEY_EXISTS before writing anything. */
export async function createRsaKeyPair(options: CreateRsaKeyPairOptions): Promise<CreatedRsaKeyPair> {
  const privateKeyPath = options.privateKeyPath;
  const publicKeyPath = options.publicKeyPath ?? publicKeyPathFor(privateKeyPath);
  const bits = options.bits ?? 2048;
  const force = options.force === true;
  if (privateKeyPath === publicKeyPath) {
    throw new OcmError({
      code: "OCM_USAGE_INVALID",
      message: `the private and the public key would both be written to ${privateKeyPath}`,
      hint: "Name two different files, or only the private key file.",
    });
  }
  if (!force) {
    for (const path of [privateKeyPath, publicKeyPath]) if (existsSync(path)) throw keyExists(path);
  }
  const { privateKey, publicKey } = await generate("rsa", {
    modulusLength: bits,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  const temps: string[] = [];
  const placed: string[] = [];
  try {
    temps.push(await stage(privateKeyPath, privateKey, 0o600));
    temps.push(await stage(publicKeyPath, publicKey, 0o644));
    await place(temps[0] as string, privateKeyPath, force);
    placed.push(privateKeyPath);
    await place(temps[1] as string, publicKeyPath, force);
  } catch (error) {
    // Without --force nothing existed before, so a half-written pair is removed again.
    if (!force) for (const path of placed) await rm(path, { force: true });
    throw error;
  } finally {
    for (const temp of temps) await rm(temp, { force: true });
  }
  return { privateKeyPath, publicKeyPath, bits };
}
