#!/usr/bin/env node
// The `ocm` executable.
import { preferBaselineWasm } from "../core/baseline-wasm.js";
import { runCli } from "./program.js";

preferBaselineWasm();

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
