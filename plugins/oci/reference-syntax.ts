// How `ocm` references name OCI registries: `oci::[http(s)://]<host>[:<port>][/<path>]`, and the prefix-less
// forms `https://…`, `ghcr.io/acme`, `localhost:5000` (a first segment with a dot, a port or `localhost`).
import type { ReferenceSyntax } from "../../core/index.js";

const HOST = "\\[[0-9a-f:.]+\\]|[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?";
const PORT =
  "(?::0*(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?";
/** 0 and numbers above 65535: refused with a message of their own. */
const BAD_PORT =
  "0+|0*(?:6553[6-9]|655[4-9][0-9]|65[6-9][0-9]{2}|6[6-9][0-9]{3}|[7-9][0-9]{4}|[1-9][0-9]{5,})";
const LOOPBACK = "localhost|127\\.0\\.0\\.1|\\[::1\\]";
const PATH = "(?:/+(?<subPath>.*?))?/*";

/** The reference syntax of OCIRegistry/v1. Without a scheme: https, but http for loopback registries. */
export const ociReferenceSyntax: ReferenceSyntax = {
  syntax: "[http(s)://]<host>[:<port>][/<path>]",
  refuse: [
    {
      pattern: "(?:https?://)?[^/]*@.*",
      message:
        "credentials in a reference are not supported (they would end up in shell history, logs and messages)",
      hint: "Drop user:password@ from the reference and configure credentials for the host in the ocm config or with docker login.",
    },
    {
      pattern: `(?:https?://)?(?<host>[^/]*?):(?<port>${BAD_PORT})(?:/.*)?`,
      message: "port {port} of {host} is not a TCP port (1-65535)",
    },
  ],
  forms: [
    {
      pattern: `(?<scheme>https?)://(?<host>(?:${HOST})${PORT})${PATH}`,
      spec: { baseUrl: "{scheme}://{host}", subPath: "{subPath}" },
    },
    {
      pattern: `(?<host>(?:${LOOPBACK})${PORT})${PATH}`,
      spec: { baseUrl: "http://{host}", subPath: "{subPath}" },
    },
    {
      pattern: `(?<host>(?:${HOST})${PORT})${PATH}`,
      spec: { baseUrl: "https://{host}", subPath: "{subPath}" },
    },
  ],
  guess: [
    { pattern: "https?://.*", priority: 30 },
    { pattern: "(?:localhost|[^/]*[.:][^/]*)(?:/.*)?", priority: 10 },
  ],
};
