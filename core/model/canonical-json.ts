// The two byte encodings of normalised descriptors: JCS (RFC 8785) for jsonNormalisation/v2+, and the
// "entry" format of jsonNormalisation/v1 (Go api/tech/signing/norm/entry/norm.go).

/** RFC 8785 JSON: keys sorted by UTF-16 code units, no whitespace, ES number and minimal string forms. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(",")}}`;
}

/** Applies Go json.Marshal's extra escapes to JSON text: \u003c \u003e \u0026 \u2028 \u2029. */
export function escapeGoJson(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A string as Go's json.Marshal writes it. */
const goJsonString = (text: string): string => escapeGoJson(JSON.stringify(text));

/**
 * The jsonNormalisation/v1 entry format: every object becomes an array of single-key objects sorted by key
 * (`{"b":1,"a":2}` → `[{"a":2},{"b":1}]`), recursively; arrays keep their order; `{}` becomes `[]`.
 */
export function entryJson(value: unknown): string {
  if (typeof value === "string") return goJsonString(value);
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(entryJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `[${keys.map((k) => `{${goJsonString(k)}:${entryJson(record[k])}}`).join(",")}]`;
}
