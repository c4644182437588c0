// The `wget` access of OCM (Go type `wget` / `Wget/v1`): content fetched over HTTP(S) from `url`, with an
// optional verb, headers and body. Field names follow the Go tool; its v1 form spells the URL `URL`.
import { OcmError } from "../../sdk/index.js";

/** A checked `wget` access spec. */
export interface WgetSpec {
  url: URL;
  mediaType?: string;
  /** Header name → values, sent as given (Go's `http.Header`). */
  header: Record<string, string[]>;
  verb: string;
  /** The request body: Go marshals `[]byte` as base64, so that is what the descriptor holds. */
  body?: Buffer;
  noRedirect: boolean;
}

function invalid(field: string, problem: string): OcmError {
  return new OcmError({
    code: "OCM_ACCESS_INVALID",
    message: `field resource.access.${field}: ${problem}`,
    hint: "A wget access is {type: wget, url: https://…, mediaType?, header?, verb?, body?, noRedirect?} (docs/wget.md).",
  });
}

function optionalString(access: Record<string, unknown>, field: string): string | undefined {
  const value = access[field];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw invalid(field, "must be a string");
  return value;
}

function parseHeader(value: unknown): Record<string, string[]> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw invalid("header", "must map names to lists");
  const header: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(value as Record<string, unknown>)) {
    const list = typeof values === "string" ? [values] : values;
    if (!Array.isArray(list) || !list.every((v): v is string => typeof v === "string")) {
      throw invalid(`header.${name}`, "must be a list of strings");
    }
    header[name] = list;
  }
  return header;
}

function parseUrl(raw: string | undefined): URL {
  if (raw === undefined) throw invalid("url", "is required");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid("url", "is not an absolute URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalid("url", `scheme ${url.protocol.slice(0, -1)} is not http or https`);
  }
  return url;
}

/** Checks a `wget` access spec; errors name the field (never its value: a URL or header may hold secrets). */
export function parseWgetSpec(access: Record<string, unknown>): WgetSpec {
  const url = parseUrl(optionalString(access, "url") ?? optionalString(access, "URL"));
  const mediaType = optionalString(access, "mediaType");
  const verb = (optionalString(access, "verb") ?? "GET").toUpperCase();
  if (!/^[A-Z]+$/.test(verb)) throw invalid("verb", "must be an HTTP method such as GET or POST");
  const rawBody = optionalString(access, "body");
  if (rawBody !== undefined && !/^[A-Za-z0-9+/_-]*={0,2}$/.test(rawBody)) {
    throw invalid("body", "must be base64 (the Go tool's encoding of bytes)");
  }
  const noRedirect = access["noRedirect"];
  if (noRedirect !== undefined && noRedirect !== null && typeof noRedirect !== "boolean") {
    throw invalid("noRedirect", "must be true or false");
  }
  return {
    url,
    header: parseHeader(access["header"]),
    verb,
    noRedirect: noRedirect === true,
    ...(mediaType ? { mediaType } : {}),
    ...(rawBody !== undefined ? { body: Buffer.from(rawBody, "base64") } : {}),
  };
}

/** `url` for messages: no user info, query values hidden (signed URLs carry tokens there). */
export function showUrl(url: URL): string {
  const query = [...url.searchParams.keys()].map((key) => `${encodeURIComponent(key)}=…`).join("&");
  return `${url.protocol}//${url.host}${url.pathname}${query ? `?${query}` : ""}`;
}
