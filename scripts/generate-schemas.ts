// Writes the contract's JSON Schemas to schemas/ (run with `npm run schemas`).
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { contractSchemas, schemaFileText } from "./contract-schemas.js";

const dir = join(process.cwd(), "schemas");
mkdirSync(dir, { recursive: true });
for (const name of readdirSync(dir)) if (name.endsWith(".schema.json")) rmSync(join(dir, name));
const files = contractSchemas();
for (const [name, schema] of Object.entries(files)) writeFileSync(join(dir, name), schemaFileText(schema));
console.log(`wrote ${Object.keys(files).length} schemas to ${dir}`);
