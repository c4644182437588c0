// Writes plugins/builtin-documents.ts from the built-in plugins' definitions (run with `npm run builtins`).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUILTIN_DOCUMENTS_FILE, builtinDocumentsText, describeBuiltins } from "./builtin-documents.js";

const documents = await describeBuiltins();
writeFileSync(join(process.cwd(), BUILTIN_DOCUMENTS_FILE), await builtinDocumentsText(documents));
console.log(
  `wrote the documents of ${Object.keys(documents).length} built-in plugins to ${BUILTIN_DOCUMENTS_FILE}`,
);
