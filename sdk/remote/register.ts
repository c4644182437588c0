// A plugin service registering itself with a manager that accepts registrations (issue #17 item 3): it
// posts its URL and capabilities, heartbeats, registers again when the manager forgot it (a restart, or
// heartbeats missed while it was paused), and deregisters when it stops.
import {
  DEFAULT_HEARTBEAT_MS,
  DEREGISTER_ROUTE,
  HEARTBEAT_ROUTE,
  REGISTER_ROUTE,
} from "../../core/protocol/registration.js";
import type { CapabilitiesDocument } from "../../core/protocol/capabilities.js";
import { log } from "../log.js";

/** Where and how to register: the manager's registration URL, the shared token, the heartbeat interval. */
export interface RegisterOptions {
  /** The manager's registration endpoint, e.g. `http://127.0.0.1:7755`. */
  url: string;
  token: string;
  /** How often to heartbeat, ms (default 10 s); the manager drops the service after a few missed ones. */
  heartbeatMs?: number;
}

/** A running registration. */
export interface Registering {
  /** Resolves once the first registration was accepted (it keeps trying on failure). */
  readonly registered: Promise<void>;
  /** Stops heartbeating and deregisters. */
  stop(): Promise<void>;
}

/** Registers `{id, url, capabilities}` with the manager at `options.url` and keeps the registration alive. */
export function startRegistering(
  options: RegisterOptions,
  self: { id: string; url: string; capabilities: CapabilitiesDocument },
): Registering {
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const key = { id: self.id, url: self.url };
  let known = false;
  let stopped = false;
  let firstAccepted: () => void = () => undefined;
  const registered = new Promise<void>((resolve) => (firstAccepted = resolve));

  async function post(route: string, body: unknown): Promise<number> {
    const response = await fetch(new URL(route, options.url), {
      method: "POST",
      headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(Math.max(heartbeatMs, 1_000)),
    });
    await response.arrayBuffer();
    return response.status;
  }

  async function beat(): Promise<void> {
    try {
      if (known && (await post(HEARTBEAT_ROUTE, key)) === 200) return;
      const status = await post(REGISTER_ROUTE, { ...self, heartbeatMs });
      known = status === 200;
      if (known) firstAccepted();
      else log.warn("registration refused", { manager: options.url, status });
    } catch (error) {
      known = false;
      log.warn("registration failed", { manager: options.url, err: error });
    }
  }

  let running = beat();
  const timer = setInterval(() => {
    running = running.then(beat);
  }, heartbeatMs);
  timer.unref();

  return {
    registered,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await running;
      if (known) await post(DEREGISTER_ROUTE, key).catch(() => undefined);
    },
  };
}
