#!/usr/bin/env node
// The built-in credentials plugin as a standalone executable, served by the SDK.
import { definePlugin } from "../../sdk/index.js";
import { credentialsPlugin } from "./plugin.js";

void definePlugin(credentialsPlugin).run(process.argv);
