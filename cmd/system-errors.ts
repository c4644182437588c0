// Errors of the operating system (a full disk, a refused connection) are ordinary failures, not bugs in
// ocm-ts: they are reported with a code of their own, the path or address involved, and what to do.
import { OcmError, isOcmError } from "../core/index.js";

interface ErrnoLike {
  code?: unknown;
  syscall?: unknown;
  path?: unknown;
  dest?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  message?: unknown;
  cause?: unknown;
}

const FILE_HINTS: Record<string, string> = {
  ENOSPC: "The device is full: free space, or write somewhere else.",
  EDQUOT: "The disk quota is used up: free space, or write somewhere else.",
  EACCES: "Check the permissions of the path, or use another one.",
  EPERM: "The operation is not permitted on this path; check its owner and permissions.",
  EROFS: "The file system is read-only; write somewhere else.",
  ENOENT: "Check that the path exists.",
  EEXIST: "Something already exists at the path; remove it or choose another path.",
  EISDIR: "The path is a directory where a file was expected.",
  ENOTDIR: "A part of the path is not a directory.",
  ENOTEMPTY: "The directory is not empty.",
  EMFILE: "Too many open files: raise the limit (ulimit -n) or retry.",
  ENFILE: "Too many open files on the system: retry later.",
  EIO: "An I/O error of the device; check the disk.",
  EBUSY: "The path is busy; retry when the other process is done.",
  EXDEV: "The paths are on different devices.",
  ENAMETOOLONG: "The path is too long; use a shorter one.",
};

const NETWORK_HINTS: Record<string, string> = {
  ECONNREFUSED: "Nothing listens at the address: check the host and port, and that the server runs.",
  ECONNRESET: "The server closed the connection: retry, and check the server's or a proxy's logs.",
  EPIPE: "The other side closed the connection: retry.",
  ETIMEDOUT: "The connection timed out: check the network, a proxy or a firewall, and retry.",
  EHOSTUNREACH: "The host is unreachable: check the network.",
  ENETUNREACH: "The network is unreachable: check the network.",
  ENOTFOUND: "The host name does not resolve: check the spelling and DNS.",
  EAI_AGAIN: "The host name could not be resolved right now: check DNS and retry.",
  UND_ERR_SOCKET: "The connection broke: retry, and check the server's or a proxy's logs.",
  UND_ERR_CONNECT_TIMEOUT: "The connection timed out: check the host, the network and a firewall.",
  UND_ERR_HEADERS_TIMEOUT: "The server did not answer in time: retry later.",
  UND_ERR_BODY_TIMEOUT: "The server stopped sending: retry later.",
  UND_ERR_CLOSED: "The connection was closed: retry.",
};

/** The first error in `error`'s cause chain that carries a system error code. */
function findErrno(error: unknown): ErrnoLike | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const e = current as ErrnoLike;
    if (typeof e.code === "string" && (e.code in FILE_HINTS || e.code in NETWORK_HINTS)) return e;
    current = e.cause;
  }
  return undefined;
}

/** An OcmError for an operating-system error (OCM_SYSTEM_IO / OCM_SYSTEM_NETWORK), or undefined. */
export function systemError(error: unknown): OcmError | undefined {
  if (isOcmError(error) && error.code !== "OCM_INTERNAL") return undefined;
  const errno = findErrno(error);
  if (!errno) return undefined;
  const code = errno.code as string;
  const text = typeof errno.message === "string" ? errno.message : code;
  if (code in FILE_HINTS) {
    const path = typeof errno.path === "string" ? errno.path : undefined;
    const dest = typeof errno.dest === "string" ? ` → ${errno.dest}` : "";
    return new OcmError({
      code: "OCM_SYSTEM_IO",
      message: path
        ? `${code}: cannot ${typeof errno.syscall === "string" ? errno.syscall : "use"} ${path}${dest}`
        : `a file operation failed: ${text}`,
      hint: FILE_HINTS[code],
      details: { errno: code, ...(path ? { path } : {}) },
    });
  }
  const host =
    typeof errno.address === "string"
      ? errno.address
      : typeof errno.hostname === "string"
        ? errno.hostname
        : undefined;
  const where = host ? `${host}${typeof errno.port === "number" ? `:${errno.port}` : ""}` : undefined;
  return new OcmError({
    code: "OCM_SYSTEM_NETWORK",
    message: where ? `connection to ${where} failed: ${text}` : `a network connection failed: ${text}`,
    hint: NETWORK_HINTS[code],
    details: { errno: code, ...(where ? { address: where } : {}) },
  });
}
