// GET requests to an npm registry with node:http(s): redirects followed (a registry may send tarballs to
// a CDN; a loop is an error), failures as OcmErrors that show the URL without secrets and say what to do.
import { get as httpGet, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { get as httpsGet } from "node:https";
import { OcmError } from "../../sdk/index.js";
import { showUrl } from "./npm-spec.js";

const MAX_REDIRECTS = 10;
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL/;

/** GETs `url` and returns the 2xx response; `what` names the request in messages (`npm packument of x`). */
export async function registryGet(
  url: URL,
  what: string,
  options: { accept: string; signal?: AbortSignal | undefined },
): Promise<IncomingMessage> {
  const seen = new Set<string>();
  for (let current = url; ;) {
    seen.add(current.href);
    const response = await send(
      current,
      { accept: options.accept, "user-agent": "ocm-ts-npm" },
      what,
      options.signal,
    );
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) return response;
    response.resume();
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location) {
      const next = new URL(location, current);
      if (seen.has(next.href) || seen.size >= MAX_REDIRECTS) {
        throw new OcmError({
          code: "OCM_ACCESS_REDIRECT_LOOP",
          message: `${what}: ${showUrl(url)} redirects in a loop (back to ${showUrl(next)})`,
          hint: "The registry's redirects never end; check the registry URL of the access.",
        });
      }
      current = next;
      continue;
    }
    throw statusError(status, response.statusMessage, current, what);
  }
}

function send(
  url: URL,
  headers: OutgoingHttpHeaders,
  what: string,
  signal?: AbortSignal,
): Promise<IncomingMessage> {
  const get = url.protocol === "https:" ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    const req = get(url, { headers, ...(signal ? { signal } : {}) }, resolve);
    req.on("error", (error: Error & { code?: string }) => {
      const code = error.code ?? "";
      const tls = TLS_CODE.test(code);
      reject(
        new OcmError({
          code: tls ? "OCM_ACCESS_TLS_FAILED" : "OCM_SYSTEM_NETWORK",
          message: `${what}: ${showUrl(url)}: ${tls ? "TLS handshake failed: " : ""}${error.message}${code ? ` (${code})` : ""}`,
          hint: tls
            ? "The registry's certificate is not trusted or not valid for this host; trust its CA with NODE_EXTRA_CA_CERTS=<ca.pem>."
            : "Check that the registry in the access is reachable, then retry.",
          cause: error,
        }),
      );
    });
  });
}

function statusError(status: number, text: string | undefined, url: URL, what: string): OcmError {
  const message = `${what}: GET ${showUrl(url)}: HTTP ${status} ${text ?? ""}`.trim();
  if (status === 404) {
    return new OcmError({
      code: "OCM_ACCESS_NOT_FOUND",
      message,
      hint: "The registry has no such package; check the registry and package of the access.",
      details: { status },
    });
  }
  if (status === 401 || status === 403) {
    return new OcmError({
      code: "OCM_ACCESS_UNAUTHORIZED",
      message,
      hint: "The registry wants credentials; the npm plugin reads public packages only.",
      details: { status },
    });
  }
  return new OcmError({
    code: "OCM_ACCESS_REQUEST_FAILED",
    message,
    hint: status >= 500 ? "The registry failed; retry later." : "The registry refused the request.",
    details: { status },
  });
}
