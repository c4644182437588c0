// Reads a key or certificate file named on the command line; its content is checked by the signing plugin.
import { readFile } from "node:fs/promises";
import { OcmError } from "../../core/index.js";

/** The text of a PEM file; an unreadable or empty file is OCM_SIGNING_KEY_INVALID naming the path. */
export async function readKeyFile(path: string, what: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new OcmError({
      code: "OCM_SIGNING_KEY_INVALID",
      message: `cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      hint: "Check the path and its permissions.",
      cause: error,
    });
  }
  if (!text.trim()) {
    throw new OcmError({
      code: "OCM_SIGNING_KEY_INVALID",
      message: `the ${what} file ${path} is empty`,
      hint: "Pass a PEM file.",
    });
  }
  return text;
}
