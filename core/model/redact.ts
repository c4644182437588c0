// Secrets that users put into references (`http://user:password@host`) and text that untrusted parties
// (plugins, registries) put into errors must not reach a terminal or a log as they are.

const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^/\s@"'`]*@/gi;

/** `text` with the user-info part of every URL in it (`scheme://user:pw@`) replaced by `***@`. */
export function redactUrls(text: string): string {
  return text.replace(USERINFO, "$1***@");
}

/** A short, secret-free name of a repository spec for messages: its file path or base URL and sub path. */
export function describeRepository(spec: { type: string } & Record<string, unknown>): string {
  const where =
    typeof spec.filePath === "string"
      ? spec.filePath
      : typeof spec.baseUrl === "string"
        ? `${spec.baseUrl}${typeof spec.subPath === "string" && spec.subPath ? `/${spec.subPath}` : ""}`
        : undefined;
  return where === undefined ? spec.type : `${spec.type} ${redactUrls(where)}`;
}
