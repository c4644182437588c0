// Reads a chart from a Helm chart repository over HTTP(S): `index.yaml`, the entry of the chart version,
// then its archive (URLs in the index may be relative to the repository), streamed while its SHA-256 is
// checked against the index's `digest`.
import { parse } from "yaml";
import { OcmError, createDigestMeter, type Blob } from "../../sdk/index.js";
import { helmIdentity, showUrl, type HelmAccessSpec } from "./helm-access-spec.js";
import { CHART_MEDIA_TYPE } from "./helm-input.js";

interface IndexEntry {
  version?: unknown;
  urls?: unknown;
  digest?: unknown;
}

/** The Authorization header for repository credentials (basic; a token as bearer). */
function authorizationOf(credentials: Record<string, string> | undefined): string | undefined {
  const token = credentials?.["identityToken"] ?? credentials?.["accessToken"];
  if (token) return `Bearer ${token}`;
  if (credentials?.["username"] === undefined || credentials["password"] === undefined) return undefined;
  return `Basic ${Buffer.from(`${credentials["username"]}:${credentials["password"]}`).toString("base64")}`;
}

async function get(url: URL, spec: HelmAccessSpec, authorization: string | undefined, signal?: AbortSignal) {
  // Credentials go to the repository's own origin only, never to a chart hosted elsewhere.
  const headers: Record<string, string> = { "user-agent": "ocm-ts-helm" };
  if (authorization && url.origin === spec.repository.origin) headers["authorization"] = authorization;
  let response: Response;
  try {
    response = await fetch(url, { headers, ...(signal ? { signal } : {}) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new OcmError({
      code: "OCM_SYSTEM_NETWORK",
      message: `helm access: GET ${showUrl(url)}: ${cause?.message ?? (error as Error).message}`,
      hint: "Check that the chart repository's host and port are reachable, then retry.",
      cause: error,
    });
  }
  if (response.ok) return response;
  await response.body?.cancel();
  const what = `helm access: GET ${showUrl(url)}: HTTP ${response.status} ${response.statusText}`.trim();
  const status = response.status;
  if (status === 404 || status === 410) {
    throw new OcmError({
      code: "OCM_ACCESS_NOT_FOUND",
      message: what,
      hint: "Check helmRepository (the URL of the directory holding index.yaml) and the chart's URL in the index.",
      details: { status },
    });
  }
  if (status === 401 || status === 403) {
    throw new OcmError({
      code: "OCM_ACCESS_UNAUTHORIZED",
      message: what,
      hint: `Configure username/password in the ocm config for the consumer identity ${JSON.stringify(helmIdentity(spec.repository))}.`,
      details: { status },
    });
  }
  throw new OcmError({
    code: "OCM_ACCESS_REQUEST_FAILED",
    message: what,
    hint:
      status >= 500
        ? "The chart repository failed; retry later."
        : "The chart repository refused the request.",
    details: { status },
  });
}

function badIndex(spec: HelmAccessSpec, why: string, cause?: unknown): OcmError {
  return new OcmError({
    code: "OCM_ACCESS_REQUEST_FAILED",
    message: `helm access: ${showUrl(new URL("index.yaml", spec.repository))} ${why}`,
    hint: "helmRepository must be a Helm chart repository (a URL whose index.yaml lists the charts).",
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Finds the index entry of the chart version. */
async function findChart(spec: HelmAccessSpec, authorization: string | undefined, signal?: AbortSignal) {
  const indexUrl = new URL("index.yaml", spec.repository);
  const text = await (await get(indexUrl, spec, authorization, signal)).text();
  let index: unknown;
  try {
    index = parse(text);
  } catch (error) {
    throw badIndex(spec, "is not YAML", error);
  }
  const entries = (index as { entries?: unknown } | null)?.entries;
  if (typeof entries !== "object" || entries === null) throw badIndex(spec, "has no `entries`");
  const versions = (entries as Record<string, unknown>)[spec.chart];
  if (!Array.isArray(versions)) {
    const charts = Object.keys(entries).sort();
    throw new OcmError({
      code: "OCM_ACCESS_NOT_FOUND",
      message: `helm access: chart ${spec.chart} is not in ${showUrl(indexUrl)} (charts: ${charts.join(", ") || "none"})`,
      hint: "Correct the chart name in helmChart.",
    });
  }
  const entry = (versions as IndexEntry[]).find((v) => String(v.version) === spec.version);
  if (!entry) {
    const known = (versions as IndexEntry[]).map((v) => String(v.version));
    throw new OcmError({
      code: "OCM_ACCESS_NOT_FOUND",
      message: `helm access: chart ${spec.chart} has no version ${spec.version} in ${showUrl(indexUrl)} (versions: ${known.join(", ") || "none"})`,
      hint: "Correct the version in helmChart (<name>:<version>).",
    });
  }
  const first = Array.isArray(entry.urls) ? (entry.urls as unknown[])[0] : undefined;
  if (typeof first !== "string") throw badIndex(spec, `lists no urls for ${spec.chart} ${spec.version}`);
  const digest = typeof entry.digest === "string" ? entry.digest.replace(/^sha256:/, "") : undefined;
  return { url: new URL(first, spec.repository), digest };
}

/** The chart archive of `spec`, streamed; a body whose SHA-256 is not the index's digest fails at its end. */
export async function fetchChart(
  spec: HelmAccessSpec,
  credentials: Record<string, string> | undefined,
  signal?: AbortSignal,
): Promise<Blob> {
  const authorization = authorizationOf(credentials);
  const { url, digest } = await findChart(spec, authorization, signal);
  const response = await get(url, spec, authorization, signal);
  const header = response.headers.get("content-length");
  const length = header === null ? Number.NaN : Number(header);
  // Without a length (chunked) or with a compressed body, the size is not known before the end.
  const size = response.headers.get("content-encoding") || !Number.isSafeInteger(length) ? undefined : length;
  const body = response.body;
  async function* content(): AsyncGenerator<Uint8Array> {
    const meter = createDigestMeter();
    if (body) yield* meter.pass(body as AsyncIterable<Uint8Array>);
    const actual = meter.hex();
    if (digest !== undefined && actual !== digest.toLowerCase()) {
      throw new OcmError({
        code: "OCM_ACCESS_DIGEST_MISMATCH",
        message: `helm access: ${showUrl(url)} (chart ${spec.chart}:${spec.version}) has sha256:${actual}, but ${showUrl(new URL("index.yaml", spec.repository))} says sha256:${digest}`,
        hint: "The chart file on the server is not the one the index describes; retry, then ask the repository's owner to fix it.",
      });
    }
  }
  return { mediaType: CHART_MEDIA_TYPE, ...(size !== undefined ? { size } : {}), content: content() };
}
