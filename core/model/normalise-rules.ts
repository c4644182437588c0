// What of a descriptor is signed: the field rules of each normalisation algorithm, applied to plain data
// before it is encoded (docs/signing.md, "Normalisation"; Go compdesc/versions/*/signing.go, normalizations/jsonv*).
import { isNoneAccess } from "./access-types.js";
import { providerOf } from "./provider.js";
import type { ComponentDescriptor, Label } from "./schema-v2.js";
import type { ComponentDescriptorV3alpha1 } from "./schema-v3alpha1.js";

type Json = Record<string, unknown>;
type Element = Record<string, unknown>;

/** Copies the listed keys that are set (not undefined/null) — Go's struct fields with omitempty. */
function pick(source: Element, keys: readonly string[]): Json {
  const out: Json = {};
  for (const key of keys) if (source[key] !== undefined && source[key] !== null) out[key] = source[key];
  return out;
}

const nonEmptyMap = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && Object.keys(v).length > 0;

/** Only labels with `signing: true` (or "true") survive, reduced to name, version, value, signing. */
export function signingLabels(labels: readonly Label[] | null | undefined): Json[] {
  return (labels ?? [])
    .filter((l) => l.signing === true || (l.signing as unknown) === "true")
    .map((l) => ({ ...pick(l, ["name", "version"]), value: l.value, signing: true }));
}

/** Every label as the Go struct holds it (component references keep their labels unfiltered in v2+). */
function structLabels(labels: readonly Label[] | null | undefined): Json[] {
  return (labels ?? []).map((l) => ({ ...pick(l, ["name", "version", "signing", "merge"]), value: l.value }));
}

function withLabels(out: Json, labels: Json[]): Json {
  return labels.length > 0 ? { ...out, labels } : out;
}

/**
 * Legacy extraIdentity defaulting of jsonNormalisation/v1 and v2 (Go normalizations/legacy): for each resource
 * in order, if a later or earlier one has the same name and equal extra identity, its version goes into its
 * extra identity. In-place on the copy, so with two equal resources only the first changes.
 */
function defaultExtraIdentity(resources: Element[]): Element[] {
  const copy: Element[] = resources.map((r) => ({
    ...r,
    extraIdentity: nonEmptyMap(r["extraIdentity"]) ? { ...(r["extraIdentity"] as Json) } : undefined,
  }));
  const equal = (a: unknown, b: unknown) =>
    JSON.stringify(sortKeys(a ?? {})) === JSON.stringify(sortKeys(b ?? {}));
  copy.forEach((r, i) => {
    const twin = copy.findIndex(
      (o, j) => j !== i && o["name"] === r["name"] && equal(o["extraIdentity"], r["extraIdentity"]),
    );
    if (twin >= 0)
      r["extraIdentity"] = { ...((r["extraIdentity"] as Json | undefined) ?? {}), version: r["version"] };
  });
  return copy;
}

function sortKeys(v: unknown): unknown {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function resourceFields(r: Element, labels: (l: Label[] | undefined) => Json[]): Json {
  const out = pick(r, ["name", "version", "type", "relation"]);
  if (nonEmptyMap(r["extraIdentity"])) out["extraIdentity"] = r["extraIdentity"];
  if (r["digest"] && !isNoneAccess(r["access"] as { type: string } | undefined)) out["digest"] = r["digest"];
  return withLabels(out, labels(r["labels"] as Label[] | undefined));
}

function sourceFields(s: Element, labels: (l: Label[] | undefined) => Json[]): Json {
  const out = pick(s, ["name", "version", "type"]);
  if (nonEmptyMap(s["extraIdentity"])) out["extraIdentity"] = s["extraIdentity"];
  return withLabels(out, labels(s["labels"] as Label[] | undefined));
}

function referenceFields(c: Element, labels: (l: Label[] | undefined) => Json[]): Json {
  const out = pick(c, ["name", "version", "componentName", "digest"]);
  if (nonEmptyMap(c["extraIdentity"])) out["extraIdentity"] = c["extraIdentity"];
  return withLabels(out, labels(c["labels"] as Label[] | undefined));
}

const EMPTY_DIGEST = { hashAlgorithm: "", normalisationAlgorithm: "", value: "" };

/**
 * The signed part of a v2 descriptor for jsonNormalisation/v2, v3 and v4alpha1 (encoded as JCS). v2 applies
 * the legacy extraIdentity defaulting; v4alpha1 (Go V2) differs from v3 (Go V1) only for a component
 * reference without digest, which gets an empty digest object.
 */
export function jcsNormalForm(cd: ComponentDescriptor, algorithm: "v2" | "v3" | "v4alpha1"): Json {
  const c = cd.component;
  const provider = providerOf(c);
  const resources = algorithm === "v2" ? defaultExtraIdentity(c.resources) : c.resources;
  const component: Json = {
    ...pick(c, ["name", "version", "creationTime"]),
    provider: withLabels({ name: provider.name }, signingLabels(provider.labels)),
    resources: resources.map((r) => resourceFields(r, signingLabels)),
    sources: c.sources.map((s) => sourceFields(s, signingLabels)),
    // The Go exclusion rule is keyed `references`, so reference labels are not filtered here.
    componentReferences: c.componentReferences.map((r) => {
      const out = referenceFields(r, structLabels);
      // Go V2's Reference.Digest is a plain struct, which encoding/json writes even when empty.
      return algorithm === "v4alpha1" && !out["digest"] ? { ...out, digest: EMPTY_DIGEST } : out;
    }),
  };
  return { component: withLabels(component, signingLabels(c.labels)) };
}

/**
 * The signed part of a v2 descriptor for jsonNormalisation/v1 (encoded in the entry format). `legacy` gives
 * the form older Go tools signed under the same algorithm name: no `extraIdentity: null` on elements without one.
 */
export function entryNormalFormV2(cd: ComponentDescriptor, legacy = false): Json {
  const c = cd.component;
  const raw = c.provider;
  const jsonProvider = typeof raw !== "string" || raw.trimStart().startsWith("{");
  const provider = providerOf(c);
  const nullExtra = (e: Json): Json => (legacy ? e : { ...e, extraIdentity: e["extraIdentity"] ?? null });
  const component: Json = {
    ...pick(c, ["name", "version", "creationTime"]),
    provider: jsonProvider ? withLabels({ name: provider.name }, signingLabels(provider.labels)) : raw,
    resources: defaultExtraIdentity(c.resources).map((r) => nullExtra(resourceFields(r, signingLabels))),
    componentReferences: c.componentReferences.map((r) => nullExtra(referenceFields(r, signingLabels))),
  };
  return {
    meta: { schemaVersion: cd.meta.schemaVersion },
    component: withLabels(component, signingLabels(c.labels)),
  };
}

/**
 * The signed part of a v3alpha1 descriptor for jsonNormalisation/v1. Quirk kept from Go: the provider label
 * rule is keyed under `spec.provider`, but the provider lives in `metadata`, so its labels are not filtered.
 */
export function entryNormalFormV3alpha1(cd: ComponentDescriptorV3alpha1): Json {
  const m = cd.metadata;
  const metadata: Json = pick(m, ["name", "version", "creationTime"]);
  if (m.provider)
    metadata["provider"] = withLabels({ name: m.provider.name }, structLabels(m.provider.labels));
  const spec: Json = {};
  const resources = (cd.spec?.resources ?? []).map((r) => resourceFields(r, signingLabels));
  const sources = (cd.spec?.sources ?? []).map((s) => sourceFields(s, signingLabels));
  const references = (cd.spec?.references ?? []).map((r) => referenceFields(r, signingLabels));
  if (resources.length > 0) spec["resources"] = resources;
  if (sources.length > 0) spec["sources"] = sources;
  if (references.length > 0) spec["references"] = references;
  return {
    apiVersion: cd.apiVersion,
    kind: cd.kind,
    metadata: withLabels(metadata, signingLabels(m.labels)),
    spec,
  };
}
