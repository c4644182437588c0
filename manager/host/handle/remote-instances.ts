// The instances of one remote plugin (ADR 0009): one undici Pool per base URL with its TLS settings, calls
// spread round robin over the instances that are up, an instance taken out after `failureThreshold`
// consecutive connection failures until `GET /v1/health` passes again, and a breaker: with every instance
// out, calls fail at once with OCM_PLUGIN_REMOTE_UNAVAILABLE until a health probe (due after a back-off)
// passes.
import { readFileSync } from "node:fs";
import type { Pool } from "undici";
import { HEALTH_ROUTE, OcmError } from "../../../core/index.js";
import { untrustedText } from "../../../core/model/index.js";
import { isLoopbackHost, type RemoteSettings } from "../config/remote-settings.js";
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  MAX_ERROR_BODY_BYTES,
  readBounded,
  readJsonBody,
} from "../call/read-body.js";
import type { PluginConnection } from "../process/connection.js";

/** One instance as `ocm plugin status` shows it. */
export interface RemoteInstanceState {
  url: string;
  /** Answered its last call or health check; calls go only to instances that are up. */
  up: boolean;
  /** Why it is out, or that it refused the token. */
  reason?: string;
  code?: string;
  /** The plugin version its health reported. */
  version?: string;
}

export interface RemoteInstances {
  /** A connection to the next instance that is up; probes instances whose back-off is over. */
  pick(): Promise<PluginConnection>;
  /** Asks every instance's health now (discovery, status). */
  probeAll(): Promise<RemoteInstanceState[]>;
  states(): RemoteInstanceState[];
  /** GET `path` on an instance that is up, as JSON (the capabilities document). */
  getJson(path: string): Promise<unknown>;
  close(): Promise<void>;
}

export interface RemoteInstancesOptions {
  id: string;
  settings: RemoteSettings;
  /** The bearer token, resolved on first use; undefined with mTLS alone. Never logged. */
  token: () => Promise<string | undefined>;
  callTimeoutMs: number;
}

interface Instance {
  url: string;
  pool: Pool | undefined;
  up: boolean;
  failures: number;
  /** When (epoch ms) an instance that is out may be probed again. */
  nextProbeAt: number;
  probeDelayMs: number;
  probing: Promise<void> | undefined;
  reason: string | undefined;
  code: string | undefined;
  version: string | undefined;
}

/** Health probes are bounded apart from callTimeout: a probe only asks whether the instance answers. */
const PROBE_TIMEOUT_MS = 5_000;
const FIRST_PROBE_DELAY_MS = 500;
const MAX_PROBE_DELAY_MS = 30_000;

/** Creates the instance set; nothing connects until the first pick or probe. */
export function createRemoteInstances(options: RemoteInstancesOptions): RemoteInstances {
  const { id, settings } = options;
  const instances: Instance[] = settings.urls.map((url) => ({
    url,
    pool: undefined,
    up: true,
    failures: 0,
    nextProbeAt: 0,
    probeDelayMs: FIRST_PROBE_DELAY_MS,
    probing: undefined,
    reason: undefined,
    code: undefined,
    version: undefined,
  }));
  let next = 0;
  let tls: { ca?: Buffer; cert?: Buffer; key?: Buffer } | undefined;
  let authorization: Promise<string> | undefined;

  function tlsOptions() {
    if (!tls) {
      tls = {};
      try {
        if (settings.ca) tls.ca = readFileSync(settings.ca);
        if (settings.cert) tls.cert = readFileSync(settings.cert);
        if (settings.key) tls.key = readFileSync(settings.key);
      } catch (error) {
        tls = undefined;
        throw new OcmError({
          code: "OCM_CONFIG_READ_FAILED",
          message: `remote plugin ${id}: cannot read its TLS file: ${(error as Error).message}`,
          hint: "Check the ca, cert and key paths of plugins.<id>.remote in the ocm config.",
          details: { plugin: id },
          cause: error,
        });
      }
    }
    return tls;
  }

  /** The instance's pool; undici is loaded on the first call, so a command without a remote plugin never loads it. */
  async function poolOf(instance: Instance): Promise<Pool> {
    const { Pool } = await import("undici");
    instance.pool ??= new Pool(instance.url, {
      connect: { ...tlsOptions() },
      connections: 32,
      headersTimeout: options.callTimeoutMs,
      bodyTimeout: options.callTimeoutMs,
      keepAliveTimeout: 2_000,
    });
    return instance.pool;
  }

  function authorizationOf(): Promise<string> {
    authorization ??= options.token().then((token) => (token === undefined ? "" : `Bearer ${token}`));
    authorization.catch(() => (authorization = undefined));
    return authorization;
  }

  /** A connection failure of a call: the instance is out after `failureThreshold` of them in a row. */
  function takeOut(instance: Instance, error: unknown): void {
    instance.failures++;
    if (instance.failures < settings.failureThreshold || !instance.up) return;
    instance.probeDelayMs = FIRST_PROBE_DELAY_MS;
    // The next pick may probe it at once (a restart is over quickly); a failed probe backs off.
    markOut(instance, error, 0);
  }

  function markOut(instance: Instance, error: unknown, probeInMs: number): void {
    instance.up = false;
    instance.reason = untrustedText((error as Error).message ?? String(error), 300);
    instance.code = (error as { code?: string }).code;
    instance.nextProbeAt = Date.now() + probeInMs;
    // Its pool stays: calls still in flight on other connections to it may well finish, and the
    // connections of an instance that went away are closed by the kernel and dropped by the pool.
  }

  function bringBack(instance: Instance): void {
    instance.up = true;
    instance.failures = 0;
    instance.reason = undefined;
    instance.code = undefined;
  }

  function probe(instance: Instance): Promise<void> {
    instance.probing ??= runProbe(instance).finally(() => (instance.probing = undefined));
    return instance.probing;
  }

  async function runProbe(instance: Instance): Promise<void> {
    try {
      const response = await (
        await poolOf(instance)
      ).request({
        origin: instance.url,
        path: HEALTH_ROUTE,
        method: "GET",
        headers: { authorization: await authorizationOf() },
        headersTimeout: PROBE_TIMEOUT_MS,
        bodyTimeout: PROBE_TIMEOUT_MS,
      });
      // A health answer is small; a service that sends more is cut off, not held in memory.
      const text = (await readBounded(response, MAX_ERROR_BODY_BYTES))?.toString("utf8") ?? "";
      bringBack(instance);
      instance.probeDelayMs = FIRST_PROBE_DELAY_MS;
      if (response.statusCode === 200) {
        const version = (JSON.parse(text) as { version?: unknown }).version;
        instance.version = typeof version === "string" ? version : undefined;
      } else {
        // It answers, so it is up; a call will get its error (a wrong token is OCM_RPC_UNAUTHORIZED).
        instance.reason = `health answered HTTP ${response.statusCode}`;
        instance.code = response.statusCode === 401 ? "OCM_RPC_UNAUTHORIZED" : "OCM_RPC_FAILED";
      }
    } catch (error) {
      if ((error as OcmError).code === "OCM_PLUGIN_REMOTE_TOKEN_MISSING") throw error;
      markOut(instance, error, instance.probeDelayMs);
      instance.probeDelayMs = Math.min(MAX_PROBE_DELAY_MS, instance.probeDelayMs * 2);
    }
  }

  async function connectionOf(instance: Instance, auth: string): Promise<PluginConnection> {
    const url = new URL(instance.url);
    return {
      pluginId: id,
      dispatcher: await poolOf(instance),
      origin: instance.url,
      callTimeoutMs: options.callTimeoutMs,
      authorization: auth,
      // Nobody starts or stops a remote plugin: there is no exit to wait for.
      exited: new Promise(() => undefined),
      stderrTail: () => "",
      remote: {
        url: instance.url,
        retries: settings.retries,
        mayCarryCredentials: url.protocol === "https:" || isLoopbackHost(url.hostname),
        failed: (error) => takeOut(instance, error),
        succeeded: () => bringBack(instance),
      },
    };
  }

  function unavailable(): OcmError {
    const reasons = instances.map((i) => `${i.url}: ${i.reason ?? "out"}`).join("; ");
    const retryIn = Math.max(0, Math.min(...instances.map((i) => i.nextProbeAt)) - Date.now());
    return new OcmError({
      code: "OCM_PLUGIN_REMOTE_UNAVAILABLE",
      message: `remote plugin ${id} is unavailable: no instance answers (${reasons})`,
      hint: `Calls fail at once until a health check passes (the next in ${Math.ceil(retryIn / 1000)} s); start the service or fix its URL. \`ocm plugin status\` shows each instance.`,
      details: { plugin: id, instances: instances.map((i) => i.url) },
    });
  }

  async function pick(): Promise<PluginConnection> {
    const auth = await authorizationOf();
    const now = Date.now();
    const due = instances.filter((i) => !i.up && now >= i.nextProbeAt);
    const up = instances.filter((i) => i.up);
    if (up.length === 0) {
      await Promise.all(due.map(probe));
    } else {
      // Calls keep going to the healthy instances while the others are probed.
      for (const instance of due) void probe(instance).catch(() => undefined);
    }
    const candidates = instances.filter((i) => i.up);
    if (candidates.length === 0) throw unavailable();
    const chosen = candidates[next++ % candidates.length] as Instance;
    return connectionOf(chosen, auth);
  }

  return {
    pick,
    async probeAll() {
      await Promise.all(instances.map(probe));
      return this.states();
    },
    states: () =>
      instances.map((i) => ({
        url: i.url,
        up: i.up,
        ...(i.reason === undefined ? {} : { reason: i.reason }),
        ...(i.code === undefined ? {} : { code: i.code }),
        ...(i.version === undefined ? {} : { version: i.version }),
      })),
    async getJson(path) {
      const connection = await pick();
      const response = await connection.dispatcher.request({
        origin: connection.origin,
        path,
        method: "GET",
        headers: { authorization: connection.authorization },
      });
      const what = `GET ${path} (${id}, ${connection.origin})`;
      if (response.statusCode === 200)
        return readJsonBody(response, { pluginId: id, what, limit: DEFAULT_MAX_RESPONSE_BYTES });
      const text = (await readBounded(response, MAX_ERROR_BODY_BYTES))?.toString("utf8") ?? "";
      throw new OcmError({
        code: response.statusCode === 401 ? "OCM_RPC_UNAUTHORIZED" : "OCM_RPC_FAILED",
        message: `remote plugin ${id} at ${connection.origin} answered GET ${path} with HTTP ${response.statusCode}: ${untrustedText(text, 200)}`,
        hint:
          response.statusCode === 401
            ? "The plugin refused the token: check the variable or credential its tokenFrom names."
            : 'The service must serve GET /v1/capabilities (docs/plugin-authors.md, "Running a plugin as a service").',
        details: { plugin: id, url: connection.origin, status: response.statusCode },
      });
    },
    async close() {
      await Promise.all(instances.map((i) => i.pool?.close().catch(() => undefined)));
    },
  };
}
