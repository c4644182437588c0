// The `file` input: one file's bytes, streamed.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { OcmError, type Blob } from "../../core/index.js";
import { BLOB_READ_CHUNK } from "../../sdk/archive/index.js";
import { maybeCompress } from "./compress.js";
import { readSpec } from "./read-spec.js";
import { fileInputSchema } from "./specs.js";

/** Resolves an input path against the constructor's directory. */
export function resolveInputPath(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

export async function processFileInput(input: unknown, baseDir: string): Promise<Blob> {
  const spec = readSpec(fileInputSchema, input, "file");
  const path = resolveInputPath(baseDir, spec.path);
  const info = await stat(path).catch((error: unknown) => {
    throw new OcmError({
      code: "OCM_INPUT_NOT_FOUND",
      message: `file input: cannot read ${path}`,
      hint: "Paths in a constructor are relative to the constructor file's directory.",
      cause: error,
    });
  });
  if (!info.isFile()) {
    throw new OcmError({
      code: "OCM_INPUT_INVALID",
      message: `file input: ${path} is not a regular file`,
      hint: "Use the dir input for directories.",
    });
  }
  return maybeCompress(
    createReadStream(path, { highWaterMark: BLOB_READ_CHUNK }),
    spec.mediaType ?? "application/octet-stream",
    spec.compress,
    info.size,
  );
}
