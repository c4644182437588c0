// A V8 setting for short-lived plugin executables that make HTTP requests with undici: they call it in their
// main module (the OCI plugin); the `ocm` CLI sets the same flag in its own (cmd/ocm.ts). Library users keep
// V8's defaults.
import { setFlagsFromString } from "node:v8";

/**
 * Keeps WebAssembly on V8's baseline compiler (Liftoff). undici parses HTTP with a WebAssembly build of
 * llhttp: V8 compiles it with Liftoff at once, then compiles it again with its optimising compiler on
 * background threads, and Node drains those threads before the event loop may end. A short command that
 * made one HTTP request thus waited 150–400 ms at its end for code it would never run. Liftoff code parses
 * headers well enough, and bodies are handed through, not scanned. Call before the first HTTP request.
 */
export function preferBaselineWasm(): void {
  setFlagsFromString("--liftoff-only");
}
