// `npm run build`, second step: dist/ocm.mjs, the executable package.json's `bin` names, and the chunks it
// loads on demand in dist/ocm-chunks/.
import { resolve } from "node:path";
import { bundleCli } from "./bundle-executable.js";

await bundleCli(process.cwd(), resolve("dist/ocm.mjs"));
