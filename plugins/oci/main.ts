#!/usr/bin/env node
// The OCI plugin as a standalone executable, served by the SDK.
import { definePlugin } from "../../sdk/index.js";
import { ociPlugin } from "./plugin.js";

await definePlugin(ociPlugin).run(process.argv);
