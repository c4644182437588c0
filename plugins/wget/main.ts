#!/usr/bin/env node
// The `wget` access type as an installable plugin (issue #14): resources whose bytes live at an HTTP(S)
// URL. It also answers the consumer identity of a wget access, so the host finds credentials for it.
import { definePlugin, type CredentialRepository } from "../../sdk/index.js";
import { wgetIdentity } from "./consumer-identity.js";
import { wgetResources } from "./wget-resources.js";
import { parseWgetSpec } from "./wget-spec.js";

// Not a credential store: it only names the identity of an access; a bare {type} has none.
const wgetIdentities: CredentialRepository = {
  async consumerIdentity({ config }) {
    if (config["url"] === undefined && config["URL"] === undefined) return { identity: null };
    return { identity: wgetIdentity(parseWgetSpec(config).url) };
  },
  async resolve() {
    return { credentials: null };
  },
};

await definePlugin({
  name: "wget",
  version: "0.1.0",
  types: {
    "Wget/v1": {
      aliases: ["wget"],
      capabilities: { resourceRepository: wgetResources, credentialRepository: wgetIdentities },
    },
  },
}).run(process.argv);
