#!/usr/bin/env node
// The `ocm` executable.
import { runCli } from "./program.js";

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
