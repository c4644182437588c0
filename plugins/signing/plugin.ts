// Built-in RSA signing: RSASSA-PKCS1-V1_5 (the OCM v1 CLI default) and RSASSA-PSS (the OCM v2 default),
// served as signingHandler capabilities whose type is the signature algorithm.
import type { PluginDefinition } from "../../core/index.js";
import { createRsaHandler, type RsaScheme } from "./rsa-handler.js";
import { signPkcs1v15, signPss, verifyPkcs1v15, verifyPss } from "./rsa-prehashed.js";

/** OCM's name and plain media type of each RSA scheme. */
export const RSA_SCHEMES = {
  "RSASSA-PKCS1-V1_5": {
    algorithm: "RSASSA-PKCS1-V1_5",
    mediaType: "application/vnd.ocm.signature.rsa",
    sign: signPkcs1v15,
    verify: verifyPkcs1v15,
  },
  "RSASSA-PSS": {
    algorithm: "RSASSA-PSS",
    mediaType: "application/vnd.ocm.signature.rsa.pss",
    sign: signPss,
    verify: verifyPss,
  },
} as const satisfies Record<string, RsaScheme>;

export const signingPlugin: PluginDefinition = {
  name: "signing",
  version: "0.1.0",
  description: "RSA signatures: RSASSA-PKCS1-V1_5 and RSASSA-PSS over descriptor digests",
  types: {
    "RSASSA-PKCS1-V1_5": {
      aliases: ["RSASSA-PKCS1-V1_5/v1", "rsa", "rsa-pkcs1"],
      capabilities: { signingHandler: createRsaHandler(RSA_SCHEMES["RSASSA-PKCS1-V1_5"]) },
    },
    "RSASSA-PSS": {
      aliases: ["RSASSA-PSS/v1", "rsa-pss"],
      capabilities: { signingHandler: createRsaHandler(RSA_SCHEMES["RSASSA-PSS"]) },
    },
  },
};
