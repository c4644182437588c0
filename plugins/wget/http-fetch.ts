// One HTTP(S) exchange of a `wget` access with node:http(s): redirects followed by hand (so loops are
// caught and credentials never follow a redirect to another origin), failures turned into OcmErrors that
// show the URL without secrets and say what to do.
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { OcmError } from "../../sdk/index.js";
import { showUrl, type WgetSpec } from "./wget-spec.js";

const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// Node's codes for certificate problems (tls.TLSSocket#authorizationError and OpenSSL's X509 errors).
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH/;

export interface FetchOptions {
  /** The Authorization header from the resolved credentials; sent to the origin of `spec.url` only. */
  authorization?: string | undefined;
  signal?: AbortSignal | undefined;
  /** What the message names as the failing thing, e.g. `wget access`. */
  what: string;
  /** The consumer identity to name in an unauthorized error's hint. */
  identityHint: string;
}

/** Sends the request of `spec`, follows redirects, and returns the 2xx response with its final URL. */
export async function fetchWget(
  spec: WgetSpec,
  options: FetchOptions,
): Promise<{ response: IncomingMessage; url: URL }> {
  let url = spec.url;
  let verb = spec.verb;
  let body = spec.body;
  const seen = new Set<string>();
  for (let hop = 0; ; hop++) {
    seen.add(url.href);
    const sameOrigin = url.origin === spec.url.origin;
    const response = await send(
      url,
      verb,
      body,
      headersOf(spec, sameOrigin ? options : undefined, url),
      options,
    );
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) return { response, url };
    const location = response.headers.location;
    if (REDIRECTS.has(status) && location && !spec.noRedirect) {
      response.resume();
      const next = new URL(location, url);
      if (seen.has(next.href) || hop + 1 >= MAX_REDIRECTS) {
        throw new OcmError({
          code: "OCM_ACCESS_REDIRECT_LOOP",
          message: `${options.what} ${showUrl(spec.url)}: ${seen.has(next.href) ? `redirect loop back to ${showUrl(next)}` : `more than ${MAX_REDIRECTS} redirects`} (after ${hop + 1})`,
          hint: "The server's redirects never end; put the final URL in the access or fix the server.",
        });
      }
      // Go's and browsers' rule: 301/302/303 turn a non-GET request into a GET without a body.
      if (status === 303 || ((status === 301 || status === 302) && verb !== "GET" && verb !== "HEAD")) {
        verb = "GET";
        body = undefined;
      }
      url = next;
      continue;
    }
    throw await statusError(response, url, spec, options);
  }
}

function headersOf(spec: WgetSpec, auth: FetchOptions | undefined, url: URL): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { ...spec.header, "user-agent": "ocm-ts-wget" };
  const authorization = auth?.authorization ?? userInfoAuthorization(url);
  if (authorization && !hasHeader(spec, "authorization")) headers["authorization"] = authorization;
  return headers;
}

function hasHeader(spec: WgetSpec, name: string): boolean {
  return Object.keys(spec.header).some((key) => key.toLowerCase() === name);
}

function userInfoAuthorization(url: URL): string | undefined {
  if (!url.username) return undefined;
  const user = decodeURIComponent(url.username);
  return `Basic ${Buffer.from(`${user}:${decodeURIComponent(url.password)}`).toString("base64")}`;
}

function send(
  url: URL,
  verb: string,
  body: Buffer | undefined,
  headers: OutgoingHttpHeaders,
  options: FetchOptions,
): Promise<IncomingMessage> {
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  const target = new URL(url.href);
  target.username = "";
  target.password = "";
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: verb,
        headers: body ? { ...headers, "content-length": body.length } : headers,
        ...(options.signal ? { signal: options.signal } : {}),
      },
      resolve,
    );
    req.on("error", (error) => reject(networkError(error, url, options)));
    req.end(body);
  });
}

function networkError(error: Error & { code?: string }, url: URL, options: FetchOptions): OcmError {
  const code = error.code ?? "";
  if (TLS_CODE.test(code)) {
    return new OcmError({
      code: "OCM_ACCESS_TLS_FAILED",
      message: `${options.what} ${showUrl(url)}: TLS handshake failed: ${error.message} (${code})`,
      hint: "The server's certificate is not trusted or not valid for this host; trust its CA with NODE_EXTRA_CA_CERTS=<ca.pem> or fix the certificate.",
      cause: error,
    });
  }
  return new OcmError({
    code: "OCM_SYSTEM_NETWORK",
    message: `${options.what} ${showUrl(url)}: ${error.message}${code ? ` (${code})` : ""}`,
    hint: "Check that the host and port in the URL are reachable, then retry.",
    cause: error,
  });
}

async function statusError(
  response: IncomingMessage,
  url: URL,
  spec: WgetSpec,
  options: FetchOptions,
): Promise<OcmError> {
  response.resume();
  const status = response.statusCode ?? 0;
  const what =
    `${options.what} ${spec.verb} ${showUrl(url)}: HTTP ${status} ${response.statusMessage ?? ""}`.trim();
  if (status === 404 || status === 410) {
    return new OcmError({
      code: "OCM_ACCESS_NOT_FOUND",
      message: what,
      hint: "The server has nothing at this URL; check the url of the access.",
      details: { status },
    });
  }
  if (status === 401 || status === 403) {
    return new OcmError({
      code: "OCM_ACCESS_UNAUTHORIZED",
      message: what,
      hint: `Configure credentials (username/password, or identityToken for a bearer token) in the ocm config for the consumer identity ${options.identityHint}.`,
      details: { status },
    });
  }
  if (REDIRECTS.has(status)) {
    return new OcmError({
      code: "OCM_ACCESS_REQUEST_FAILED",
      message: `${what} redirects${spec.noRedirect ? ", and the access sets noRedirect" : " without a location"}`,
      hint: "Put the final URL in the access, or drop noRedirect.",
      details: { status },
    });
  }
  return new OcmError({
    code: "OCM_ACCESS_REQUEST_FAILED",
    message: what,
    hint:
      status >= 500
        ? "The server failed; retry later."
        : "The server refused the request; check the access's verb, header and body.",
    details: { status },
  });
}
