// The `npm` access of OCM (Go type `npm` / `NPM/v1`): one version of a package in an npm registry.
import { OcmError } from "../../sdk/index.js";

/** A checked `npm` access spec. */
export interface NpmSpec {
  /** The registry's base URL, without a trailing slash. */
  registry: URL;
  package: string;
  version: string;
}

function invalid(field: string, problem: string): OcmError {
  return new OcmError({
    code: "OCM_ACCESS_INVALID",
    message: `field resource.access.${field}: ${problem}`,
    hint: "An npm access is {type: npm, registry: https://registry.npmjs.org, package: <name>, version: <version>} (docs/npm.md).",
  });
}

function required(access: Record<string, unknown>, field: string): string {
  const value = access[field];
  if (typeof value !== "string" || value === "") throw invalid(field, "is required and must be a string");
  return value;
}

// npm's package name rule (npm/validate-npm-package-name): lower case, URL-safe, optionally @scope/name.
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/i;

/** Checks an `npm` access spec; errors name the field. */
export function parseNpmSpec(access: Record<string, unknown>): NpmSpec {
  const rawRegistry = required(access, "registry");
  let registry: URL;
  try {
    registry = new URL(rawRegistry.replace(/\/+$/, ""));
  } catch {
    throw invalid("registry", "is not an absolute URL");
  }
  if (registry.protocol !== "http:" && registry.protocol !== "https:") {
    throw invalid("registry", `scheme ${registry.protocol.slice(0, -1)} is not http or https`);
  }
  const name = required(access, "package");
  if (!PACKAGE_NAME.test(name))
    throw invalid("package", `${JSON.stringify(name)} is not an npm package name`);
  return { registry, package: name, version: required(access, "version") };
}

/** The packument URL: `<registry>/<name>`, a scoped name encoded as `@scope%2fname` as npm does. */
export function packumentUrl(spec: NpmSpec): URL {
  const base = spec.registry.href.replace(/\/+$/, "");
  return new URL(`${base}/${spec.package.replace("/", "%2f")}`);
}

/** `url` for messages: no user info, no query. */
export function showUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
