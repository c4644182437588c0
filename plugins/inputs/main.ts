#!/usr/bin/env node
// The built-in inputs plugin as a standalone executable, served by the SDK.
import { definePlugin } from "../../sdk/index.js";
import { inputsPlugin } from "./plugin.js";

void definePlugin(inputsPlugin).run(process.argv);
