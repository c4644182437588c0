#!/usr/bin/env node
// The `npm` access type as an installable plugin (issue #14): a resource that is one version of a package
// in an npm registry, served as the package's tarball.
import { definePlugin } from "../../sdk/index.js";
import { npmResources } from "./npm-resources.js";

await definePlugin({
  name: "npm",
  version: "0.1.0",
  types: { "NPM/v1": { aliases: ["npm"], capabilities: { resourceRepository: npmResources } } },
}).run(process.argv);
