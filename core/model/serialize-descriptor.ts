// Writes a v2 descriptor the way the Go tool does, so stored bytes (and digests of descriptor layers) match:
// YAML like sigs.k8s.io/yaml (sorted keys, unindented lists, go-yaml v2 quoting), JSON like Go's
// encoding/json on the V2 descriptor structs (struct field order, compact, HTML-safe escaping).
import { Document, visit, Scalar } from "yaml";
import { escapeGoJson } from "./canonical-json.js";
import { foldLikeGoYaml, goYamlNeedsDoubleQuotes } from "./go-yaml-style.js";
import type { ComponentDescriptor } from "./schema-v2.js";

/**
 * The descriptor as YAML, byte for byte as OCM Go 0.18/0.20 writes `component-descriptor.yaml`: keys
 * sorted, sequences not indented, empty lists as `[]`, empty optional fields (labels, extraIdentity, …) left out, strings that YAML 1.1 would read as another type
 * (timestamps, `1.0`, `yes`) double-quoted, other strings that cannot be plain single-quoted, trailing newline.
 * Long plain and single-quoted strings are folded at a space past column 80, as go-yaml v2 does by default.
 */
export function serializeDescriptorYaml(cd: ComponentDescriptor): string {
  const doc = new Document(goShape(cd, "descriptor"), { version: "1.1", sortMapEntries: true });
  visit(doc, {
    Scalar(_key, node) {
      if (
        typeof node.value === "string" &&
        !node.value.includes("\n") &&
        goYamlNeedsDoubleQuotes(node.value)
      ) {
        node.type = Scalar.QUOTE_DOUBLE;
      }
    },
  });
  // Written unfolded, then folded at go-yaml's width 80 by go-yaml's rule (the yaml package folds differently).
  return foldLikeGoYaml(
    doc.toString({ indentSeq: false, lineWidth: 0, minContentWidth: 0, singleQuote: true, nullStr: "null" }),
  );
}

// Field order of the Go V2 structs (bindings/go/descriptor/v2/descriptor.go); other keys follow, sorted.
const ORDER: Record<string, readonly string[]> = {
  descriptor: ["meta", "component", "signatures", "nestedDigests"],
  component: [
    "name",
    "version",
    "labels",
    "creationTime",
    "repositoryContexts",
    "provider",
    "resources",
    "sources",
    "componentReferences",
  ],
  resources: [
    "name",
    "version",
    "labels",
    "extraIdentity",
    "srcRefs",
    "type",
    "relation",
    "access",
    "digest",
  ],
  sources: ["name", "version", "labels", "extraIdentity", "type", "access"],
  componentReferences: ["name", "version", "labels", "extraIdentity", "componentName", "digest"],
  labels: ["name", "value", "signing", "version", "merge"],
  digest: ["hashAlgorithm", "normalisationAlgorithm", "value"],
  signatures: ["name", "digest", "signature", "timestamp"],
  signature: ["algorithm", "value", "mediaType", "issuer"],
  srcRefs: ["identitySelector", "labels"],
  nestedDigests: ["name", "version", "digest", "resourceDigests"],
  resourceDigests: ["name", "version", "extraIdentity", "digest"],
};

// Struct fields tagged `omitempty`: Go leaves them out when null, false, "", [] or {}. `version` is
// omitempty only on labels; elements and components always write it.
const OMIT_EMPTY = new Set([
  "signatures",
  "nestedDigests",
  "labels",
  "creationTime",
  "extraIdentity",
  "srcRefs",
  "digest",
  "signing",
  "version",
  "issuer",
  "timestamp",
  "identitySelector",
]);
const isEmpty = (v: unknown) =>
  v === null ||
  v === false ||
  v === "" ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === "object" && v !== null && Object.keys(v).length === 0);

/** Shapes plain descriptor data as Go's encoders see the structs: field order, omitempty fields dropped. */
function goShape(value: unknown, context: string): unknown {
  if (Array.isArray(value)) return value.map((item) => goShape(item, context));
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const order = ORDER[context];
  // Maps without a struct (access, extraIdentity, label values, repository contexts) are written sorted.
  const known = order ? order.filter((k) => k in record) : [];
  const rest = Object.keys(record)
    .filter((k) => !known.includes(k))
    .sort();
  const out: Record<string, unknown> = {};
  for (const key of [...known, ...rest]) {
    const field = record[key];
    if (field === undefined) continue;
    const inStruct = order !== undefined && order.includes(key);
    const omitEmpty = inStruct && OMIT_EMPTY.has(key) && (key !== "version" || context === "labels");
    if (omitEmpty && isEmpty(field)) continue;
    out[key] = goShape(field, inStruct && (key in ORDER || key === "meta") ? key : "");
  }
  return out;
}

/** The descriptor as compact JSON in the Go V2 struct field order (the `…component-descriptor.v2+json` layer). */
export function serializeDescriptorJson(cd: ComponentDescriptor): string {
  return escapeGoJson(JSON.stringify(goShape(cd, "descriptor")));
}
