// Component constructor files.
export * from "./schema.js";
export * from "./parse-constructor.js";
