// The `helm` access of OCM (Go type `helm` / `Helm/v1`): chart `helmChart` (`name:version`, or `name` with
// a separate `version` field) in the chart repository at `helmRepository` (HTTP(S) only here; `caCert`
// and `keyring` are accepted and not used). Also the consumer identity credentials are found by.
import { OcmError, type Identity } from "../../sdk/index.js";

/** A checked `helm` access spec. */
export interface HelmAccessSpec {
  /** The repository URL, always ending in `/` so that relative chart URLs resolve below it. */
  repository: URL;
  chart: string;
  version: string;
}

const HINT =
  "A helm access is {type: helm, helmRepository: https://charts.example.com, helmChart: <name>:<version>} (docs/helm.md).";

function invalid(field: string, problem: string): OcmError {
  return new OcmError({
    code: "OCM_ACCESS_INVALID",
    message: `field resource.access.${field}: ${problem}`,
    hint: HINT,
  });
}

function text(access: Record<string, unknown>, field: string): string | undefined {
  const value = access[field];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw invalid(field, `must be a string, got ${JSON.stringify(value)}`);
  return value;
}

/** Parses and checks the access spec of a `helm` resource. */
export function parseHelmAccess(access: Record<string, unknown>): HelmAccessSpec {
  const rawRepository = text(access, "helmRepository");
  if (rawRepository === undefined) throw invalid("helmRepository", "is required");
  let repository: URL;
  try {
    repository = new URL(rawRepository.endsWith("/") ? rawRepository : `${rawRepository}/`);
  } catch {
    throw invalid("helmRepository", `${JSON.stringify(rawRepository)} is not a URL`);
  }
  if (repository.protocol !== "http:" && repository.protocol !== "https:") {
    throw invalid(
      "helmRepository",
      `${repository.protocol} repositories are not supported (http and https only; for oci:// charts use an ociArtifact access)`,
    );
  }
  const chartField = text(access, "helmChart");
  if (chartField === undefined) throw invalid("helmChart", "is required (<name>:<version>)");
  const colon = chartField.lastIndexOf(":");
  const chart = colon === -1 ? chartField : chartField.slice(0, colon);
  const version = colon === -1 ? text(access, "version") : chartField.slice(colon + 1);
  if (chart === "" || version === undefined || version === "") {
    throw invalid("helmChart", `${JSON.stringify(chartField)} names no version: write <name>:<version>`);
  }
  return { repository, chart, version };
}

/** The repository URL without user info, for messages. */
export const showUrl = (url: URL) => {
  const shown = new URL(url.href);
  shown.username = "";
  shown.password = "";
  return shown.href;
};

/** The consumer type of Helm chart repositories, as the Go tool names it. */
export const HELM_CONSUMER = "HelmChartRepository";

/** `{type: HelmChartRepository, hostname, port?, pathprefix?, scheme}` of a repository URL. */
export function helmIdentity(repository: URL): Identity {
  const identity: Identity = { type: HELM_CONSUMER, hostname: repository.hostname.toLowerCase() };
  if (repository.port) identity["port"] = repository.port;
  const path = repository.pathname.replace(/^\/+|\/+$/g, "");
  if (path) identity["pathprefix"] = path;
  identity["scheme"] = repository.protocol.slice(0, -1);
  return identity;
}
