#!/usr/bin/env node
// The Component Archive plugin as a standalone executable, served by the SDK; installed, never built in.
import { definePlugin } from "../../sdk/index.js";
import { comparchPlugin } from "./plugin.js";

await definePlugin(comparchPlugin).run(process.argv);
