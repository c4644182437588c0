// `--processor <type>[=<json-config>]`: a chain entry as the command line names it.
import { processorConfigError } from "./processor-errors.js";

/** One entry of a processing chain: a processor type (or alias) and its config. */
export interface ProcessorEntry {
  type: string;
  config?: unknown;
}

/** Parses `<type>[=<json-config>]`; the type ends at the first `=`. */
export function parseProcessorFlag(text: string): ProcessorEntry {
  const eq = text.indexOf("=");
  const type = (eq < 0 ? text : text.slice(0, eq)).trim();
  if (type === "") {
    throw processorConfigError(
      `--processor ${JSON.stringify(text)} names no processor type`,
      `Write --processor <type>[=<json-config>], e.g. --processor labels='{"remove":["internal"]}'.`,
    );
  }
  if (eq < 0) return { type };
  const json = text.slice(eq + 1);
  try {
    return { type, config: JSON.parse(json) as unknown };
  } catch (error) {
    throw processorConfigError(
      `--processor ${type}: config ${JSON.stringify(json)} is not JSON (${(error as Error).message})`,
      `Quote the config for the shell: --processor ${type}='{"field":"value"}'.`,
    );
  }
}
