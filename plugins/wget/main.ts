#!/usr/bin/env node
// The `wget` access type as an installable plugin (issue #14): resources whose bytes live at an HTTP(S)
// URL. It also answers the consumer identity of a wget access, so the host finds credentials for it.
import { definePlugin, type ConsumerIdentityProvider } from "../../sdk/index.js";
import { wgetIdentity } from "./consumer-identity.js";
import { wgetResources } from "./wget-resources.js";
import { parseWgetSpec } from "./wget-spec.js";

// Whom the host asks for a wget access's credentials (ADR 0006); a bare {type} names nobody.
const wgetIdentities: ConsumerIdentityProvider = {
  async consumerIdentity({ spec }) {
    if (spec["url"] === undefined && spec["URL"] === undefined) return { identity: null };
    return { identity: wgetIdentity(parseWgetSpec(spec).url) };
  },
};

await definePlugin({
  name: "wget",
  version: "0.1.0",
  types: {
    "Wget/v1": {
      aliases: ["wget"],
      capabilities: { resourceRepository: wgetResources, consumerIdentity: wgetIdentities },
    },
  },
}).run(process.argv);
