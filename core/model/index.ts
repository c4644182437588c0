// Public surface of the OCM component model: descriptor schemas, parsing and writing, references,
// identities, version order and normalisation. Pure functions, no I/O.
export * from "./patterns.js";
export * from "./schema-v2.js";
export * from "./schema-v3alpha1.js";
export * from "./convert-v3alpha1.js";
export * from "./access-types.js";
export * from "./provider.js";
export * from "./parse-descriptor.js";
export * from "./serialize-descriptor.js";
export * from "./split-ref.js";
export * from "./resolve-ref.js";
export * from "./parse-ref.js";
export * from "./redact.js";
export * from "./identity.js";
export * from "./sort-versions.js";
export * from "./canonical-json.js";
export * from "./normalise.js";
export * from "./refuse-duplicates.js";
