// Built-in inputs: `file`, `dir`, `utf8` and `binary`, served as inputRepository capabilities.
import { OcmError, type Blob, type InputRepository, type PluginDefinition } from "../../core/index.js";
import { processDirInput } from "./dir-input.js";
import { processFileInput } from "./file-input.js";
import { processBinaryInput, processUtf8Input } from "./inline-input.js";

type Processor = (input: unknown, baseDir: string) => Blob | Promise<Blob>;

const TYPES: Record<string, { aliases: string[]; process: Processor }> = {
  "File/v1": { aliases: ["file", "file/v1"], process: processFileInput },
  "Dir/v1": { aliases: ["dir", "dir/v1"], process: processDirInput },
  "UTF8/v1": { aliases: ["utf8", "utf8/v1"], process: processUtf8Input },
  "Binary/v1": { aliases: ["binary", "binary/v1"], process: processBinaryInput },
};

function processorFor(type: string): Processor {
  for (const [name, def] of Object.entries(TYPES)) {
    if (name === type || def.aliases.includes(type)) return def.process;
  }
  throw new OcmError({
    code: "OCM_INPUT_INVALID",
    message: `unknown input type ${JSON.stringify(type)}`,
    hint: `Built-in input types: ${Object.values(TYPES)
      .map((t) => t.aliases[0])
      .join(", ")}.`,
  });
}

const inputs: InputRepository = {
  async processInput({ input, baseDir }) {
    return processorFor(input.type)(input, baseDir);
  },
};

export const inputsPlugin: PluginDefinition = {
  name: "inputs",
  version: "0.1.0",
  description: "Constructor inputs: file, dir, utf8 and binary",
  types: Object.fromEntries(
    Object.entries(TYPES).map(([name, def]) => [
      name,
      { aliases: def.aliases, capabilities: { inputRepository: inputs } },
    ]),
  ),
};
