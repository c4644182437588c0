// `ocm plugin test` as data: starts a plugin (its init runs with its config), asks its connection status
// when it has one, and runs its TestConnection (seed 000) against a repository spec, as a list of checks
// each with a reason. Problems are checks, not exceptions: a plugin in config error is a failed check.
import {
  OcmError,
  isOcmError,
  type CapabilitiesDocument,
  type ConnectionCheck,
  type ConnectionStatus,
  type TypedSpec,
} from "../../../core/index.js";
import type { PluginListEntry, PluginManager } from "../plugin-manager.js";

type TestManager = Pick<PluginManager, "list" | "info" | "connectionStatus" | "testConnection">;

export interface PluginTestOptions {
  /** The plugin's id. */
  plugin: string;
  /** The repository to try; without it only the start and the connection status are checked. */
  repository?: TypedSpec | undefined;
  /** Also check that the plugin may write there (e.g. start and cancel an upload). */
  write?: boolean;
}

export interface PluginTestReport {
  plugin: string;
  repository?: TypedSpec;
  ok: boolean;
  checks: ConnectionCheck[];
}

/**
 * The plugin with this id, or the one serving this repository type or alias (built-ins first, as the
 * registry lists them). Throws OCM_PLUGIN_UNKNOWN_ID naming the known ids and types otherwise.
 */
export async function findPluginFor(
  manager: Pick<PluginManager, "list">,
  idOrType: string,
): Promise<PluginListEntry> {
  const entries = await manager.list();
  const byId = entries.find((entry) => entry.id === idOrType);
  if (byId) return byId;
  const byType = entries.find(
    (entry) => entry.state === "ok" && entry.document && typeOf(entry.document, idOrType) !== undefined,
  );
  if (byType) return byType;
  throw new OcmError({
    code: "OCM_PLUGIN_UNKNOWN_ID",
    message: `no plugin has the id or serves the type ${JSON.stringify(idOrType)}`,
    hint: `Known ids: ${entries.map((e) => e.id).join(", ")}; \`ocm plugin list\` shows the types each serves.`,
  });
}

/** The canonical name of `name` (a type or an alias) in `document`, if the plugin serves it. */
export function typeOf(document: CapabilitiesDocument, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const type of Object.keys(document.type)) {
    if (type.toLowerCase() === lower) return type;
    if (document.aliases?.[type]?.some((alias) => alias.toLowerCase() === lower)) return type;
  }
  return undefined;
}

/**
 * Runs the checks. A plugin that cannot start or answer is a failed check, not an exception; only a usage
 * mistake (a repository of a type the plugin does not serve) throws.
 */
export async function testPluginConnection(
  manager: TestManager,
  options: PluginTestOptions,
): Promise<PluginTestReport> {
  const { plugin, repository } = options;
  const entry = await manager.info(plugin);
  const document = entry.document;
  const served = repository && document ? typeOf(document, repository.type) : undefined;
  if (repository && document && served === undefined) {
    throw new OcmError({
      code: "OCM_USAGE_INVALID",
      message: `plugin ${plugin} does not serve repositories of type ${repository.type}`,
      hint: `It serves ${Object.keys(document.type).join(", ")}; name one of them before :: in --repository.`,
    });
  }
  const checks = await runChecks(manager, options, entry, served);
  return {
    plugin,
    ...(repository ? { repository } : {}),
    ok: !checks.some((check) => check.status === "fail"),
    checks,
  };
}

async function runChecks(
  manager: TestManager,
  options: PluginTestOptions,
  entry: PluginListEntry,
  served: string | undefined,
): Promise<ConnectionCheck[]> {
  const { plugin, repository } = options;
  const document = entry.document;
  if (entry.state !== "ok" || !document) {
    const reason = `plugin ${plugin} is ${entry.state}${entry.error ? `: ${entry.error.message}` : ""}`;
    return [{ name: "plugin", status: "fail", reason }];
  }
  // Always asked: it starts the plugin and runs its init, so a config error shows even without a repository.
  let status: ConnectionStatus | undefined;
  try {
    status = await manager.connectionStatus(plugin).catch((error: unknown) => {
      if (isOcmError(error) && (error as OcmError).code === "OCM_RPC_NOT_FOUND") return undefined;
      throw error;
    });
  } catch (error) {
    if (!isOcmError(error)) throw error;
    return [
      { name: "plugin", status: "fail", reason: await describeFailure(manager, plugin, error as OcmError) },
    ];
  }
  const checks: ConnectionCheck[] = [
    { name: "plugin", status: "pass", reason: await describeRunning(manager, plugin) },
  ];
  if (status && document.connection?.status) checks.push(statusCheck(status));
  else if (!repository) {
    checks.push({
      name: "status",
      status: "skip",
      reason: `plugin ${plugin} reports no connection status; --repository tests a connection`,
    });
  }
  if (!repository || !served) return checks;
  if (!document.connection?.test) {
    const reason = `plugin ${plugin} does not test connections (connection.test is not true in its capabilities)`;
    return [...checks, { name: "test-connection", status: "fail", reason }];
  }
  try {
    const result = await manager.testConnection(plugin, {
      type: served,
      spec: { ...repository, type: served },
      ...(options.write ? { write: true } : {}),
    });
    if (result.checks?.length) return [...checks, ...result.checks];
    // A plugin that answers only ok and message: one check.
    const said = result.ok ? "the plugin says it can connect" : "the plugin says it cannot connect";
    return [
      ...checks,
      { name: "connection", status: result.ok ? "pass" : "fail", reason: result.message ?? said },
    ];
  } catch (error) {
    if (!isOcmError(error)) throw error;
    const { message, code } = error as OcmError;
    return [...checks, { name: "test-connection", status: "fail", reason: `${message} (${code})` }];
  }
}

function statusCheck(status: { status: string; message?: string | undefined }): ConnectionCheck {
  const said = status.message ? `: ${status.message}` : "";
  return {
    name: "status",
    status: status.status === "disconnected" ? "fail" : "pass",
    reason: `${status.status}${said}`,
  };
}

async function describeRunning(manager: TestManager, plugin: string): Promise<string> {
  const entry = await manager.info(plugin);
  if (entry.source === "builtin") return "in-process; init ran with its configuration";
  const pid = entry.runtime?.pid;
  return pid === undefined
    ? "started; init ran with its configuration"
    : `running as pid ${pid}; init ran with its configuration`;
}

/** The failure as the user should read it: `config error: …` or `broken: …` when the plugin is now in that state. */
async function describeFailure(manager: TestManager, plugin: string, error: OcmError): Promise<string> {
  const state = (await manager.info(plugin).catch(() => undefined))?.runtime?.state;
  const prefix = state === "config error" || state === "broken" ? `${state}: ` : "";
  return `${prefix}${error.message} (${error.code})`;
}
