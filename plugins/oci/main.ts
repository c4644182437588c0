#!/usr/bin/env node
// The OCI plugin as a standalone executable, served by the SDK.
import { definePlugin, preferBaselineWasm } from "../../sdk/index.js";
import { ociPlugin } from "./plugin.js";

// The plugin talks HTTP with undici; see preferBaselineWasm.
preferBaselineWasm();
await definePlugin(ociPlugin).run(process.argv);
