// The CTF plugin: CommonTransportFormat/v1 repositories (directory, tar, tgz) as written by the OCM Go tool.
import type { PluginDefinition } from "../../core/index.js";
import { ctfComponentLister } from "./component-lister.js";
import { ctfComponentVersions } from "./component-versions.js";
import { CTF_TYPE, ctfSpecJsonSchema } from "./repository-spec.js";
import { ctfResources } from "./resource-repository.js";
import { testCtfConnection } from "./test-connection.js";

/** Serves component versions, component lists and localBlob resources of Common Transport Format archives. */
export const ctfPlugin: PluginDefinition = {
  name: "ctf",
  version: "0.1.0",
  description: "Common Transport Format repositories: directory, tar and tgz",
  types: {
    [CTF_TYPE]: {
      aliases: ["ctf", "CommonTransportFormat"],
      schema: ctfSpecJsonSchema,
      // `ctf::<path>`; without prefix: a path starting with `.`, `/` or `~` or an archive name, and as the
      // last resort anything that no other type claims (`archive`, `out/ctf`).
      reference: {
        syntax: "<directory, .tar or .tgz>",
        field: "filePath",
        guess: [
          { pattern: "[./~].*|.*\\.(?:tar|tgz|tar\\.gz|ctf)", priority: 20 },
          { pattern: ".+", priority: 0 },
        ],
        // Written by a transfer or `add --create`: created when missing, in the format asked for, else in
        // the one its name suggests (repository-spec.ts).
        create: { accessMode: "create", fileFormat: "{format}" },
      },
      capabilities: {
        componentVersionRepository: ctfComponentVersions,
        componentLister: ctfComponentLister,
        resourceRepository: ctfResources,
        // An archive on disk needs no credentials (ADR 0006): the host asks no credential source for it.
        consumerIdentity: { consumerIdentity: async () => ({ identity: null }) },
      },
    },
  },
  testConnection: testCtfConnection,
};
