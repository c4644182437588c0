// Turns `[ctf::]<path>[//<component>[:<version>]]` and `[oci::][http(s)://]<host>[:port][/<sub path>]
// [//<component>[:<version>]]` references into repository specs and component coordinates.
import { OcmError } from "../errors.js";
import type { TypedSpec } from "../protocol/common.js";
import { COMPONENT_NAME_PATTERN } from "./patterns.js";

/** Type of a Common Transport Format repository spec (`{type, filePath}`). */
export const CTF_REPOSITORY_TYPE = "CommonTransportFormat/v1";
/** Type of an OCI registry repository spec (`{type, baseUrl, subPath?}`). */
export const OCI_REPOSITORY_TYPE = "OCIRegistry/v1";

/** A parsed component reference. */
export interface ComponentRef {
  repository: TypedSpec;
  component?: string;
  version?: string;
}

const PREFIXES: Record<string, "ctf" | "oci"> = {
  ctf: "ctf",
  CommonTransportFormat: "ctf",
  "CommonTransportFormat/v1": "ctf",
  oci: "oci",
  OCIRegistry: "oci",
  "OCIRegistry/v1": "oci",
};
const ARCHIVE_SUFFIX = /\.(tar|tgz|tar\.gz|ctf)$/i;
const HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?)(:\d{1,5})?$/;

function invalid(ref: string, why: string, hint?: string): never {
  throw new OcmError({
    code: "OCM_REFERENCE_INVALID",
    message: `reference ${JSON.stringify(ref)}: ${why}`,
    hint:
      hint ??
      "Write [ctf::]<path>//<component>[:<version>] or [oci::][https://]<host>[/<path>]//<component>[:<version>].",
    details: { reference: ref },
  });
}

/**
 * Decides CTF vs OCI for a repository part without a `ctf::`/`oci::` prefix:
 * `http://` or `https://` → OCI; starts with `.`, `/` or `~`, or ends with `.tar`, `.tgz`, `.tar.gz`,
 * `.ctf` → CTF; the text before the first `/` contains a `.` or `:` or is `localhost` → OCI (a host such
 * as `ghcr.io` or `localhost:5000`); anything else (`archive`, `out/ctf`) → CTF.
 */
function guessKind(repo: string): "ctf" | "oci" {
  if (/^https?:\/\//i.test(repo)) return "oci";
  if (/^[./~]/.test(repo) || ARCHIVE_SUFFIX.test(repo)) return "ctf";
  const host = repo.split("/", 1)[0] ?? "";
  return host.includes(".") || host.includes(":") || host === "localhost" ? "oci" : "ctf";
}

function ociSpec(ref: string, repo: string): TypedSpec {
  const schemeMatch = /^(https?):\/\//i.exec(repo);
  const rest = schemeMatch ? repo.slice(schemeMatch[0].length) : repo;
  const slash = rest.indexOf("/");
  const host = slash < 0 ? rest : rest.slice(0, slash);
  const subPath = slash < 0 ? "" : rest.slice(slash + 1).replace(/^\/+|\/+$/g, "");
  if (!HOST.test(host)) invalid(ref, `${JSON.stringify(host)} is not a registry host[:port]`);
  // Without a scheme: https, except for loopback registries, which are plain http (as docker treats them).
  const loopback = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(host);
  const scheme = schemeMatch?.[1]?.toLowerCase() ?? (loopback ? "http" : "https");
  return { type: OCI_REPOSITORY_TYPE, baseUrl: `${scheme}://${host}`, ...(subPath ? { subPath } : {}) };
}

function splitPrefix(ref: string): { kind?: "ctf" | "oci"; rest: string } {
  const m = /^([A-Za-z][A-Za-z0-9/]*)::/.exec(ref);
  if (!m) return { rest: ref };
  const kind = PREFIXES[m[1] ?? ""];
  if (!kind)
    invalid(ref, `unknown repository type ${JSON.stringify(m[1])}`, "Use the prefix ctf:: or oci::.");
  return { kind, rest: ref.slice(m[0].length) };
}

function repositoryOf(ref: string, kind: "ctf" | "oci" | undefined, repo: string): TypedSpec {
  if (repo === "") invalid(ref, "names no repository");
  return (kind ?? guessKind(repo)) === "ctf"
    ? { type: CTF_REPOSITORY_TYPE, filePath: repo }
    : ociSpec(ref, repo);
}

/** Index of the `//` that starts the component part, skipping a URL scheme's `://`. */
function componentSeparator(rest: string): number {
  const scheme = /^[a-z]+:\/\//i.exec(rest);
  return rest.indexOf("//", scheme ? scheme[0].length : 1);
}

/**
 * Parses `[ctf::]<path>[//<component>[:<version>]]` → `{type: "CommonTransportFormat/v1", filePath}` and
 * `[oci::][http(s)://]<host>[:port][/<sub path>][//<component>[:<version>]]` →
 * `{type: "OCIRegistry/v1", baseUrl: "<scheme>://<host>[:port]", subPath?}`. Without a prefix the kind is
 * guessed (see `guessKind` rules: `.`/`/`/`~` or archive suffix → CTF; a host with a dot, a port or
 * `localhost` → OCI). Without a scheme the base URL is https, or http for localhost/127.0.0.1/[::1].
 * `~` is not expanded. Throws OCM_REFERENCE_INVALID with the bad value.
 */
export function parseComponentRef(ref: string): ComponentRef {
  const { kind, rest } = splitPrefix(ref.trim());
  const sep = componentSeparator(rest);
  const repository = repositoryOf(ref, kind, sep < 0 ? rest : rest.slice(0, sep));
  if (sep < 0) return { repository };
  const coordinates = rest.slice(sep + 2);
  const colon = coordinates.indexOf(":");
  const component = colon < 0 ? coordinates : coordinates.slice(0, colon);
  if (!COMPONENT_NAME_PATTERN.test(component)) {
    invalid(
      ref,
      `${JSON.stringify(component)} is not a component name`,
      "A component name is a domain and a path, e.g. acme.org/app.",
    );
  }
  if (colon < 0) return { repository, component };
  const version = coordinates.slice(colon + 1);
  if (version === "" || /[\s/:]/.test(version)) invalid(ref, `${JSON.stringify(version)} is not a version`);
  return { repository, component, version };
}

/** Parses a repository reference (`[ctf::]<path>` or `[oci::][http(s)://]<host>[:port][/<sub path>]`). */
export function parseRepositoryRef(ref: string): { repository: TypedSpec } {
  const parsed = parseComponentRef(ref);
  if (parsed.component !== undefined) {
    invalid(
      ref,
      `names component ${JSON.stringify(parsed.component)} where only a repository is expected`,
      "Drop the //<component> part.",
    );
  }
  return { repository: parsed.repository };
}
