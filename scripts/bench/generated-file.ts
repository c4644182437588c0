// Large input files for the benchmarks, written in 1 MiB pieces of a fixed pattern (no RNG cost in timings).
import { once } from "node:events";
import { createWriteStream } from "node:fs";

const MiB = 1024 * 1024;

/** Writes `size` bytes of a repeating pattern to `path`. */
export async function writeGeneratedFile(path: string, size: number): Promise<void> {
  const chunk = Buffer.allocUnsafe(MiB);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 31 + 7) & 0xff;
  const out = createWriteStream(path);
  for (let written = 0; written < size; written += chunk.length) {
    if (!out.write(chunk.subarray(0, Math.min(chunk.length, size - written)))) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}
