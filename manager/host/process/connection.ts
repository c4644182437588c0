// What a started plugin offers its callers: an HTTP dispatcher bound to its socket, the per-launch secret,
// and a promise that settles when this launch's process exits (to tell a crash from a slow answer).
import type { Dispatcher } from "undici";

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the host asked it to stop (close, stop) rather than it dying on its own. */
  requested: boolean;
  /** Set when the executable could not be spawned at all (EACCES, ENOENT). */
  error?: NodeJS.ErrnoException;
}

export interface PluginConnection {
  pluginId: string;
  /** undici dispatcher for this launch (a Pool on the unix socket or the loopback port). */
  dispatcher: Dispatcher;
  /** `http://localhost` for unix sockets, `http://127.0.0.1:<port>` for TCP. */
  origin: string;
  /** The call bound (ms): until an answer starts, and between two bytes of a body either way. */
  callTimeoutMs: number;
  /** `Authorization` header value carrying the per-launch secret. */
  authorization: string;
  /** Settles when this launch's process has exited. */
  exited: Promise<ExitInfo>;
  /** The last few KiB of the plugin's stderr. */
  stderrTail(): string;
  /** Set for one instance of a remote plugin (ADR 0009): there is no process, and failures go here. */
  remote?: RemoteLink;
}

/** What a call to one instance of a remote plugin reports back, and how it may be retried. */
export interface RemoteLink {
  /** The instance's base URL, for messages. */
  url: string;
  /** Extra attempts of an idempotent call after a connection failure (each on the next healthy instance). */
  retries: number;
  /** Whether per-call credentials may travel here: TLS, or a loopback host. */
  mayCarryCredentials: boolean;
  /** The connection failed: counts towards taking the instance out until its health check passes. */
  failed(error: unknown): void;
  /** An answer came (any status): the instance is reachable. */
  succeeded(): void;
}
