// `ocm plugin verify`: runs ADR 0001's contract against any executable, in any language, and returns a
// report as data. Each check starts from a fresh process, so one failure does not hide the others.
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import {
  HEALTH_ROUTE,
  OPERATIONS,
  type OperationSpec,
  healthSchema,
  isProtocolCompatible,
  type CapabilitiesDocument,
} from "../../../core/index.js";
import { runCapabilities } from "../discover/run-capabilities.js";
import { createRunDir } from "../runtime/run-dir.js";
import { killServer, launchServer, type LaunchOptions, type LaunchedServer } from "./launch-server.js";
import { checkIdleExit, checkParentDeath, checkSigterm } from "./lifecycle-checks.js";
import { answerJson, sendPluginRequest } from "./plugin-http.js";
import {
  checkKeepAlive,
  checkParallelConnections,
  checkRefusedUpload,
  checkUnreadUpload,
} from "./connection-checks.js";
import { checkRoutes, expectErrorBody, type RouteTarget } from "./route-checks.js";
import { checkRepositoryRoundTrip, checkResourceRoundTrip } from "./transfer-checks.js";
import { CheckRecorder, type ConformanceReport } from "./conformance-report.js";

export interface ConformanceOptions {
  /** The executable to check. */
  path: string;
  /** Bound on `capabilities` (ms). Default 10 s, the discovery default. */
  capabilitiesTimeoutMs?: number;
  /** Bound on each server start until health answers (ms). Default 10 s, the manager's default. */
  startTimeoutMs?: number;
  /**
   * Per type, the repository spec (componentVersionRepository) or access (resourceRepository) the transfer
   * checks write to. Default: `{type, path: <a new empty directory>}` and `{type}`.
   */
  specs?: Record<string, Record<string, unknown>>;
}

const LATER = [
  "server unix",
  "unix secret",
  "routes",
  "connections",
  "server tcp",
  "tcp secret",
  "idle timeout",
  "sigterm",
  "parent death",
];

async function checkHealth(server: LaunchedServer): Promise<string> {
  const answer = await sendPluginRequest(server.endpoint, {
    method: "GET",
    path: HEALTH_ROUTE,
    secret: server.secret,
  });
  if (answer.status !== 200) throw new Error(`${HEALTH_ROUTE} answered ${answer.status}`);
  const parsed = healthSchema.safeParse(answerJson(answer, HEALTH_ROUTE));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${HEALTH_ROUTE} body field ${issue?.path.join(".") || "(root)"}: ${issue?.message}`);
  }
  if (parsed.data.id !== server.config.id)
    throw new Error(`health says id ${parsed.data.id}, the config said ${server.config.id}`);
  if (!isProtocolCompatible(parsed.data.protocol))
    throw new Error(`health says protocol ${parsed.data.protocol}`);
  const ready = server.readyLine
    ? "printed the ready line"
    : "printed no ready line (found by polling health)";
  return `healthy on ${server.config.location}, ${ready}`;
}

async function checkSecret(server: LaunchedServer): Promise<string> {
  for (const [label, secret] of [
    ["without a secret", undefined],
    ["with a wrong secret", "0".repeat(64)],
  ] as const) {
    const answer = await sendPluginRequest(server.endpoint, { method: "GET", path: HEALTH_ROUTE, secret });
    if (answer.status !== 401)
      throw new Error(
        `${HEALTH_ROUTE} ${label} answered ${answer.status}, expected 401${answer.status < 300 ? NO_SECRET_HINT : ""}`,
      );
    expectErrorBody(answer, `${HEALTH_ROUTE} ${label}`);
  }
  return "401 without the secret and with a wrong one";
}

/** Why a plugin serves requests without the secret when the host gave it one, and what to change. */
const NO_SECRET_HINT =
  ": it does not use the secret the host sent. The host no longer puts `secret` in --config (every local " +
  'user can read a command line); the config says "secrets":"stdin" and the first line on stdin is ' +
  '{"secret":"…","config":…}. Read that line before listening and require `Authorization: Bearer <secret>` ' +
  '(docs/plugin-authors.md, "The secrets line")';

/** Runs every contract check against the executable at `options.path`. */
export async function checkConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const path = resolve(options.path);
  const recorder = new CheckRecorder();
  let document: CapabilitiesDocument | undefined;
  await recorder.run("capabilities", async () => {
    const timeoutMs = options.capabilitiesTimeoutMs ?? 10_000;
    const result = await runCapabilities(path, timeoutMs);
    if (result.state !== "ok" || !result.document) {
      const stderr = result.stderrTail ? `; stderr: ${result.stderrTail.slice(-300)}` : "";
      throw new Error(`${result.error?.message ?? "invalid"} (${result.error?.code})${stderr}`);
    }
    document = result.document;
    return `valid, protocol ${document.protocol ?? "1.0.0"}, within ${timeoutMs} ms`;
  });
  if (!document) {
    for (const name of LATER) recorder.skip(name, "needs a valid capabilities document");
    return report(path, undefined, recorder);
  }

  // Recorded in the runtime record before it exists: the next ocm run removes it if this one is killed.
  const runDir = await createRunDir("ocm-verify-", "tempDir");
  const socketDir = runDir.path;
  const launch: LaunchOptions = {
    path,
    transport: "unix",
    socketDir,
    idleTimeout: "5m",
    startTimeoutMs: options.startTimeoutMs ?? 10_000,
  };
  try {
    let unix: LaunchedServer | undefined;
    await recorder.run("server unix", async () => {
      unix = await launchServer(launch, "verify-unix");
      return checkHealth(unix);
    });
    if (unix) {
      const server = unix;
      await recorder.run("unix secret", () => checkSecret(server));
      const target = { endpoint: unix.endpoint, secret: unix.secret };
      await checkRoutes(target, document, recorder);
      await checkTransfers(target, document, socketDir, options.specs ?? {}, recorder);
      await recorder.run("connections", () => checkConnections(target, document as CapabilitiesDocument));
      await killServer(unix);
    } else {
      recorder.skip("unix secret", "needs a server on a unix socket");
      recorder.skip("routes", "needs a server on a unix socket");
    }

    let tcp: LaunchedServer | undefined;
    await recorder.run("server tcp", async () => {
      tcp = await launchServer({ ...launch, transport: "tcp" }, "verify-tcp");
      return checkHealth(tcp);
    });
    if (tcp) {
      const server = tcp;
      await recorder.run("tcp secret", () => checkSecret(server));
      await killServer(server);
    } else {
      recorder.skip("tcp secret", "needs a server on TCP");
    }

    await recorder.run("idle timeout", () => checkIdleExit(launch));
    await recorder.run("sigterm", () => checkSigterm(launch));
    await recorder.run("parent death", () => checkParentDeath(launch));
  } finally {
    await runDir.remove();
  }
  return report(path, document, recorder);
}

/** The blob round trips `ocm transfer` and `ocm add cv` need, for every repository and resource type. */
async function checkTransfers(
  target: RouteTarget,
  document: CapabilitiesDocument,
  dir: string,
  specs: Record<string, Record<string, unknown>>,
  recorder: CheckRecorder,
): Promise<void> {
  let n = 0;
  for (const [type, capabilities] of Object.entries(document.type)) {
    if (capabilities.includes("componentVersionRepository")) {
      await recorder.run(`transfer componentVersionRepository ${type}`, async () => {
        const path = join(dir, `repository-${++n}`);
        await mkdir(path, { recursive: true });
        return checkRepositoryRoundTrip(target, type, { type, ...(specs[type] ?? { path }) });
      });
    }
    if (capabilities.includes("resourceRepository")) {
      await recorder.run(`transfer resourceRepository ${type}`, () =>
        checkResourceRoundTrip(target, type, { type, ...specs[type] }),
      );
    }
  }
}

/** The first route of the plugin's capabilities whose operation `matches`. */
function firstRoute(document: CapabilitiesDocument, matches: (op: OperationSpec) => boolean) {
  return Object.entries(document.type)
    .flatMap(([type, capabilities]) => capabilities.map((capability) => ({ type, capability })))
    .map(({ type, capability }) => {
      const operation = Object.values(OPERATIONS[capability] as Record<string, OperationSpec>).find(matches);
      return operation ? { type, capability, operation: operation.route } : undefined;
    })
    .find((route) => route !== undefined);
}

/**
 * Keep-alive behaviour, two connections served at once, and an upload answered before its body was read, on
 * raw connections.
 */
async function checkConnections(target: RouteTarget, document: CapabilitiesDocument): Promise<string> {
  const details = [await checkKeepAlive(target.endpoint, target.secret)];
  const json = firstRoute(document, (op) => op.kind !== "upload");
  if (json) details.push(await checkParallelConnections(target.endpoint, target.secret, json));
  const upload = firstRoute(document, (op) => op.kind === "upload");
  if (upload) {
    details.push(await checkUnreadUpload(target.endpoint, target.secret, upload));
    details.push(await checkRefusedUpload(target.endpoint, target.secret, upload));
  }
  return details.join("; ");
}

function report(
  path: string,
  document: CapabilitiesDocument | undefined,
  recorder: CheckRecorder,
): ConformanceReport {
  return {
    path,
    ...(document
      ? {
          plugin: {
            ...(document.name ? { name: document.name } : {}),
            ...(document.version ? { version: document.version } : {}),
            protocol: document.protocol ?? "1.0.0",
            types: document.type,
          },
        }
      : {}),
    checks: recorder.checks,
    ok: recorder.checks.every((check) => check.status !== "fail"),
  };
}
