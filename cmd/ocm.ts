#!/usr/bin/env node
// The `ocm` executable. It loads the command tree only after switching on V8's code cache, so that every
// module the command needs is compiled once per machine, not once per run (ADR 0005).
import * as nodeModule from "node:module";
import { setFlagsFromString } from "node:v8";
import { OCM_VERSION } from "./version.js";

// Node 22.1 and later keep compiled code in a cache directory; older versions have no such function.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
// The host speaks HTTP with undici: WebAssembly stays on V8's baseline compiler, as the SDK's
// preferBaselineWasm does for plugin executables (sdk/baseline-wasm.ts says why).
setFlagsFromString("--liftoff-only");

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
  // The version string needs no command tree: commander alone cost a third of this command's time (#15).
  process.stdout.write(`${OCM_VERSION}\n`);
} else {
  const { runCli } = await import("./program.js");
  process.exitCode = await runCli(argv, { stdout: process.stdout, stderr: process.stderr });
}
