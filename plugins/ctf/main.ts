#!/usr/bin/env node
// The CTF plugin as a standalone executable, served by the SDK.
import { definePlugin } from "../../sdk/index.js";
import { ctfPlugin } from "./plugin.js";

await definePlugin(ctfPlugin).run(process.argv);
