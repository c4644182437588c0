#!/usr/bin/env node
// The `ocm` executable. It loads the command tree only after switching on V8's code cache, so that every
// module the command needs is compiled once per machine, not once per run (ADR 0005).
import * as nodeModule from "node:module";
import { setFlagsFromString } from "node:v8";

// Node 22.1 and later keep compiled code in a cache directory; older versions have no such function.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
// The host speaks HTTP with undici: WebAssembly stays on V8's baseline compiler, as the SDK's
// preferBaselineWasm does for plugin executables (sdk/baseline-wasm.ts says why).
setFlagsFromString("--liftoff-only");

const { runCli } = await import("./program.js");
process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
