// Writes docs/errors.md from core/error-codes.ts (run with `npm run docs:errors`); a test keeps it true.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ERROR_CODES } from "../core/error-codes.js";

const rows = Object.entries(ERROR_CODES)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([code, info]) => `| \`${code}\` | ${info.meaning} | ${info.fix.replaceAll("|", "\\|")} |`);
const text = [
  "# Error codes",
  "",
  "Every error ocm-ts reports carries one of these codes. The CLI prints it as `Code:`; `-o json` output and",
  "plugin answers carry it as `code`. Match on the code, never on the message.",
  "",
  "| Code | Meaning | Fix |",
  "| --- | --- | --- |",
  ...rows,
  "",
].join("\n");
writeFileSync(join(process.cwd(), "docs", "errors.md"), text);
console.log(`wrote ${rows.length} codes to docs/errors.md`);
