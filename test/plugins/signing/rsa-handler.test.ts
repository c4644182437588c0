// The RSA signingHandler: byte-for-byte reproduction of a signature made by the Go tool, PSS and PKCS#1 v1.5
// over prehashed digests (checked against node:crypto over the digest's preimage), key forms, certificate
// chains and bad keys.
import { constants, createHash, generateKeyPairSync, verify as nodeVerify } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isOcmError, type SigningHandler } from "../../../core/index.js";
import { hashHex, legacyNormalisations, normalise, parseDescriptor } from "../../../core/model/index.js";
import { createInProcessCapability } from "../../../manager/host/call/in-process-capability.js";
import { signingPlugin } from "../../../plugins/signing/plugin.js";
import { REPO_ROOT } from "../../helpers/executables.js";

const OCM_FIXTURE = join(REPO_ROOT, "test/fixtures/ocm/signed-comparch-rsa-v1norm");
const KEYS = join(REPO_ROOT, "test/fixtures/signing");
const key = (name: string) => readFileSync(join(KEYS, name), "utf8");

function handler(type: "RSASSA-PKCS1-V1_5" | "RSASSA-PSS"): SigningHandler {
  const impl = signingPlugin.types[type]?.capabilities.signingHandler as SigningHandler;
  return createInProcessCapability("signingHandler", impl);
}

const message = Buffer.from("the normalised descriptor");
const digest = { hashAlgorithm: "SHA-256", value: createHash("sha256").update(message).digest("hex") };

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return isOcmError(error) ? error.code : "not an OcmError";
  }
  return undefined;
}

describe("RSASSA-PKCS1-V1_5 against the Go tool's signed component archive", () => {
  const descriptor = parseDescriptor(
    readFileSync(join(OCM_FIXTURE, "component-archive/component-descriptor.yaml")),
  );
  const stored = descriptor.signatures?.[0];

  it("recomputes the stored digest from the descriptor with the legacy v1 normalisation", () => {
    const [legacy] = legacyNormalisations(descriptor, "jsonNormalisation/v1");
    expect(legacy).toBe(
      readFileSync(join(OCM_FIXTURE, "DERIVED-normalised-legacy-v1.txt"), "utf8").trimEnd(),
    );
    expect(hashHex(legacy as string)).toBe(stored?.digest.value);
    // The current v1 form differs (extraIdentity: null), which is why the legacy form is needed here.
    expect(normalise(descriptor, "jsonNormalisation/v1")).toBe(
      readFileSync(join(OCM_FIXTURE, "DERIVED-normalised-current-v1.txt"), "utf8").trimEnd(),
    );
  });

  it("signs the stored digest with the published test key to exactly the stored signature", async () => {
    expect(stored?.digest.value).toBe(
      hashHex(readFileSync(join(OCM_FIXTURE, "DERIVED-normalised-legacy-v1.txt"))),
    );
    const { signature } = await handler("RSASSA-PKCS1-V1_5").sign({
      digest: { hashAlgorithm: "sha256", value: stored?.digest.value as string },
      privateKey: readFileSync(join(OCM_FIXTURE, "rsa.priv"), "utf8"),
    });
    expect(signature).toEqual({
      algorithm: "RSASSA-PKCS1-V1_5",
      mediaType: "application/vnd.ocm.signature.rsa",
      value: stored?.signature.value,
    });
  });

  it("verifies the stored signature with the PKCS#1 public key and rejects another digest", async () => {
    const publicKey = readFileSync(join(OCM_FIXTURE, "rsa.pub"), "utf8");
    const rsa = handler("RSASSA-PKCS1-V1_5");
    const request = {
      digest: stored?.digest as { hashAlgorithm: string; value: string },
      signature: stored?.signature as never,
      publicKey,
    };
    expect(await rsa.verify(request)).toEqual({ ok: true });
    const other = { ...request, digest: { hashAlgorithm: "sha256", value: "00".repeat(32) } };
    expect(await rsa.verify(other)).toMatchObject({ ok: false, reason: "signature" });
  });

  it("signs the digest itself, not a hash of it: node:crypto verifies over the digest's preimage", async () => {
    const { signature } = await handler("RSASSA-PKCS1-V1_5").sign({
      digest,
      privateKey: key("signer.rsa.key"),
    });
    expect(nodeVerify("sha256", message, key("signer.pkix.pub"), Buffer.from(signature.value, "hex"))).toBe(
      true,
    );
  });
});

describe("RSASSA-PSS", () => {
  it("signs with the longest salt and verifies with PKCS#1 and PKIX public keys, from PKCS#1 and PKCS#8 private keys", async () => {
    const pss = handler("RSASSA-PSS");
    for (const privateKey of [key("signer.rsa.key"), key("signer.pkcs8.key")]) {
      const { signature } = await pss.sign({ digest, privateKey });
      expect(signature).toMatchObject({
        algorithm: "RSASSA-PSS",
        mediaType: "application/vnd.ocm.signature.rsa.pss",
      });
      expect(signature.value).toMatch(/^[0-9a-f]{512}$/);
      for (const publicKey of [key("signer.rsa.pub"), key("signer.pkix.pub")]) {
        expect(await pss.verify({ digest, signature, publicKey })).toEqual({ ok: true });
      }
      const bytes = Buffer.from(signature.value, "hex");
      const pssKey = { key: key("signer.pkix.pub"), padding: constants.RSA_PKCS1_PSS_PADDING };
      expect(nodeVerify("sha256", message, { ...pssKey, saltLength: 256 - 32 - 2 }, bytes)).toBe(true);
    }
  });

  it("verifies a PSS signature node:crypto made over the preimage, whatever its salt length", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 1537 });
    const { sign } = await import("node:crypto");
    for (const saltLength of [0, 20, 32, constants.RSA_PSS_SALTLEN_MAX_SIGN]) {
      const bytes = sign("sha512", message, {
        key: privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength,
      });
      const signature = {
        algorithm: "RSASSA-PSS",
        mediaType: "application/vnd.ocm.signature.rsa.pss",
        value: bytes.toString("hex"),
      };
      const sha512 = { hashAlgorithm: "SHA-512", value: createHash("sha512").update(message).digest("hex") };
      const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
      expect(await handler("RSASSA-PSS").verify({ digest: sha512, signature, publicKey: pem })).toEqual({
        ok: true,
      });
    }
  });

  it("reports a wrong key, a changed digest and another algorithm's signature as not verifying", async () => {
    const pss = handler("RSASSA-PSS");
    const { signature } = await pss.sign({ digest, privateKey: key("signer.rsa.key") });
    const wrongKey = await pss.verify({ digest, signature, publicKey: key("other.pkix.pub") });
    expect(wrongKey).toMatchObject({ ok: false, reason: "signature" });
    expect(wrongKey.message).toContain("does not verify");
    const changed = { hashAlgorithm: "SHA-256", value: hashHex("something else") };
    expect(await pss.verify({ digest: changed, signature, publicKey: key("signer.pkix.pub") })).toMatchObject(
      { ok: false },
    );
    const pkcs1 = (await handler("RSASSA-PKCS1-V1_5").sign({ digest, privateKey: key("signer.rsa.key") }))
      .signature;
    expect(await pss.verify({ digest, signature: pkcs1, publicKey: key("signer.pkix.pub") })).toMatchObject({
      ok: false,
    });
  });
});

describe("bad keys and digests", () => {
  const pss = handler("RSASSA-PSS");

  it("refuses text that is not a PEM key, a broken PEM body and a non-RSA key with OCM_SIGNING_KEY_INVALID", async () => {
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const broken = "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n";
    for (const privateKey of [
      "not a key",
      broken,
      ec.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    ]) {
      expect(await codeOf(pss.sign({ digest, privateKey }))).toBe("OCM_SIGNING_KEY_INVALID");
    }
    const { signature } = await pss.sign({ digest, privateKey: key("signer.rsa.key") });
    expect(
      await codeOf(
        pss.verify({
          digest,
          signature,
          publicKey: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        }),
      ),
    ).toBe("OCM_SIGNING_KEY_INVALID");
  });

  it("refuses a digest whose length does not fit its hash algorithm", async () => {
    const short = { hashAlgorithm: "SHA-512", value: digest.value };
    expect(await codeOf(pss.sign({ digest: short, privateKey: key("signer.rsa.key") }))).toBe(
      "OCM_SIGNING_DIGEST_UNSUPPORTED",
    );
  });
});

describe("certificate chains", () => {
  const pss = handler("RSASSA-PSS");
  const sign = () =>
    pss.sign({
      digest,
      privateKey: key("signer.rsa.key"),
      certificateChain: key("signer-chain.pem"),
      rootCertificates: key("ca.crt"),
    });

  it("stores the signature as PEM with the chain and the signer's subject as issuer", async () => {
    const { signature } = await sign();
    expect(signature.mediaType).toBe("application/x-pem-file");
    expect(signature.issuer).toBe("CN=signer\\, test,O=ocm-ts test,C=DE");
    expect(signature.value).toMatch(
      /^-----BEGIN SIGNATURE-----\nSignature Algorithm: RSASSA-PSS\n\n[A-Za-z0-9+/=\n]+-----END SIGNATURE-----\n-----BEGIN CERTIFICATE-----\n/,
    );
    expect(signature.value.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });

  it("verifies against the root CA alone, and refuses another CA, a changed issuer and a key that is not the signer's", async () => {
    const { signature } = await sign();
    expect(await pss.verify({ digest, signature, rootCertificates: key("ca.crt") })).toEqual({ ok: true });
    expect(await pss.verify({ digest, signature, publicKey: key("signer.crt") })).toEqual({ ok: true });
    expect(await pss.verify({ digest, signature, rootCertificates: key("other-ca.crt") })).toMatchObject({
      ok: false,
      reason: "certificate",
    });
    const renamed = { ...signature, issuer: "CN=someone else,O=ocm-ts test,C=DE" };
    expect(await pss.verify({ digest, signature: renamed, rootCertificates: key("ca.crt") })).toMatchObject({
      ok: false,
      reason: "issuer",
    });
    const withOther = {
      digest,
      signature,
      rootCertificates: key("ca.crt"),
      publicKey: key("other.pkix.pub"),
    };
    expect(await pss.verify(withOther)).toMatchObject({ ok: false, reason: "signature" });
  });

  it("refuses to sign with a chain that does not lead to the given root or does not belong to the key", async () => {
    const chain = { digest, certificateChain: key("signer-chain.pem") };
    expect(
      await codeOf(
        pss.sign({ ...chain, privateKey: key("signer.rsa.key"), rootCertificates: key("other-ca.crt") }),
      ),
    ).toBe("OCM_SIGNING_CERTIFICATE_UNTRUSTED");
    expect(await codeOf(pss.sign({ ...chain, privateKey: key("other.rsa.key") }))).toBe(
      "OCM_SIGNING_KEY_INVALID",
    );
  });
});
