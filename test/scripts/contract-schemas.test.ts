import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { contractSchemas, schemaFileText } from "../../scripts/contract-schemas.js";
import { REPO_ROOT } from "../helpers/executables.js";

const dir = join(REPO_ROOT, "schemas");

describe("committed contract JSON Schemas", () => {
  it("match the zod schemas they are generated from (run `npm run schemas` after changing core/protocol)", () => {
    const generated = contractSchemas();
    const committed = readdirSync(dir).filter((name) => name.endsWith(".schema.json"));
    expect(committed.sort()).toEqual(Object.keys(generated).sort());
    for (const [name, schema] of Object.entries(generated)) {
      expect(readFileSync(join(dir, name), "utf8"), name).toBe(schemaFileText(schema));
    }
  });

  it("are valid draft 2020-12 schemas that accept a real capabilities document and reject a wrong one", () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(join(dir, "capabilities.schema.json"), "utf8")));
    expect(validate({ type: { "CommonTransportFormat/v1": ["componentVersionRepository"] } })).toBe(true);
    expect(validate({ type: { "CommonTransportFormat/v1": ["teleport"] } })).toBe(false);
  });
});
