// `npm run build`, second step: dist/ocm.mjs, the executable package.json's `bin` names.
import { resolve } from "node:path";
import { bundleCli } from "./bundle-executable.js";

await bundleCli(process.cwd(), resolve("dist/ocm.mjs"));
