// `ocm plugin test` and `ocm plugin status`: whether a plugin starts and reaches a repository (seed 000's
// Init and TestConnection), and which plugin processes this user's ocm runs have running, or cannot use, and
// the dead letters of handler plugins (adr/0008-events.md).
import type { Command } from "commander";
import { OcmError, type TypedSpec } from "../../core/index.js";
import {
  createOutbox,
  defaultOutboxDir,
  findPluginFor,
  outboxEntriesOf,
  pluginStatus,
  testPluginConnection,
  typeOf,
  type PluginStatus,
  type PluginTestReport,
} from "../../manager/index.js";
import { fitRows, outputWidth } from "../fit-table.js";
import { parseOutputFormat, renderData, renderTable } from "../render.js";
import type { CommandContext } from "../context.js";
import { markDelivered } from "../events.js";
import { repositoryTarget } from "../refs.js";

export function registerPluginStatusCommands(plugin: Command, context: () => CommandContext): void {
  plugin
    .command("test")
    .description(
      "start a plugin and test its connection to a repository, printing each check with a reason (exit 1 when one fails)",
    )
    .argument("<plugin>", "plugin id, or a repository type or alias it serves")
    .option("--repository <ref>", "the repository to try, e.g. ./archive or localhost:5000")
    .option("--write", "also check that the plugin may write there (starts and cancels an upload)")
    .option("-o, --output <format>", "table, json or yaml", "table")
    .action(async (name: string, opts: { repository?: string; write?: boolean; output: string }) => {
      const format = parseOutputFormat(opts.output);
      const ctx = context();
      const manager = ctx.manager();
      const entry = await findPluginFor(manager, name);
      const repository =
        opts.repository === undefined ? undefined : await repositoryFor(ctx, entry, name, opts.repository);
      const report = await testPluginConnection(manager, {
        plugin: entry.id,
        repository,
        write: opts.write === true,
      });
      ctx.stdout.write(format === "table" ? renderTestReport(report) : renderData(report, format));
      if (!report.ok) throw testFailed(report);
    });

  plugin
    .command("status")
    .description(
      "show every plugin process this user's ocm runs have running, plugins in config error or broken, and the dead letters of event handlers",
    )
    .option("-o, --output <format>", "table, json or yaml", "table")
    .action(async (opts: { output: string }) => {
      const format = parseOutputFormat(opts.output);
      const ctx = context();
      const status = await pluginStatus(ctx.manager());
      const deadLetters = await readDeadLetters(ctx);
      if (format !== "table") {
        const { problem, ...data } = status;
        const shown = { ...data, deadLetters };
        ctx.stdout.write(renderData(problem ? { ...shown, problem: problem.toJSON() } : shown, format));
        return;
      }
      ctx.stdout.write(renderStatus(status, outputWidth(ctx.stdout)));
      ctx.stdout.write(renderDeadLetters(deadLetters));
    });
}

/** The dead letters of one handler plugin. */
interface DeadLetters {
  plugin: string;
  count: number;
  events: { id: string; type: string; plugin: string; scope: string; attempts: number; lastError?: string }[];
}

/**
 * The dead letters in the outbox, by plugin, read as `ocm plugin events list` reads them. Looking is not
 * delivering: the outbox stays as it is. An unreadable outbox is a warning, not a failed status.
 */
async function readDeadLetters(ctx: CommandContext): Promise<DeadLetters[]> {
  markDelivered();
  let entries;
  try {
    entries = outboxEntriesOf(await createOutbox(defaultOutboxDir()).records());
  } catch (error) {
    ctx.stderr.write(`Warning: the event outbox could not be read: ${(error as Error).message}\n`);
    return [];
  }
  const byPlugin = new Map<string, DeadLetters>();
  for (const e of entries) {
    if (e.state !== "dead" || e.plugin === undefined) continue;
    const group = byPlugin.get(e.plugin) ?? { plugin: e.plugin, count: 0, events: [] };
    group.count++;
    group.events.push({
      id: e.id,
      type: e.type,
      plugin: e.plugin,
      scope: e.scope ?? "",
      attempts: e.attempts ?? 0,
      ...(e.lastError ? { lastError: e.lastError } : {}),
    });
    byPlugin.set(e.plugin, group);
  }
  return [...byPlugin.values()];
}

function renderDeadLetters(deadLetters: DeadLetters[]): string {
  if (!deadLetters.length) return "";
  const table = renderTable(
    ["PLUGIN", "DEAD LETTERS"],
    deadLetters.map((d) => [d.plugin, String(d.count)]),
  );
  return `\n${table}\`ocm plugin events list\` shows them, \`ocm plugin events retry\` replays them.\n`;
}

/**
 * The spec of `--repository`: a reference without `<type>::` is read as the type the plugin argument named,
 * or as the plugin's only repository type with a reference syntax, so `ocm plugin test filerepo --repository
 * ./store` does not become a CTF.
 */
async function repositoryFor(
  ctx: CommandContext,
  entry: Awaited<ReturnType<typeof findPluginFor>>,
  name: string,
  ref: string,
): Promise<TypedSpec> {
  const document = entry.document;
  if (ref.includes("::") || !document) return repositoryTarget(ctx, ref);
  const named = typeOf(document, name);
  if (named) return repositoryTarget(ctx, `${named}::${ref}`);
  const spec = await repositoryTarget(ctx, ref);
  if (typeOf(document, spec.type)) return spec;
  const withSyntax = Object.keys(document.references ?? {});
  return withSyntax.length === 1 ? repositoryTarget(ctx, `${withSyntax[0]}::${ref}`) : spec;
}

function testFailed(report: PluginTestReport): OcmError {
  const failed = report.checks.filter((c) => c.status === "fail").map((c) => c.name);
  return new OcmError({
    code: "OCM_PLUGIN_TEST_FAILED",
    message: `plugin ${report.plugin} failed ${failed.length} check${failed.length === 1 ? "" : "s"}: ${failed.join(", ")}`,
    hint: "Read each failed check's reason above.",
  });
}

function renderTestReport(report: PluginTestReport): string {
  const where = report.repository ? ` → ${JSON.stringify(report.repository)}` : "";
  const table = renderTable(
    ["CHECK", "RESULT", "REASON"],
    report.checks.map((c) => [c.name, c.status.toUpperCase(), c.reason]),
  );
  const failed = report.checks.filter((c) => c.status === "fail").length;
  return `${report.plugin}${where}\n${table}${report.ok ? "PASS" : `FAIL: ${failed} check${failed === 1 ? "" : "s"} failed`}\n`;
}

function renderStatus(status: PluginStatus, width: number | undefined): string {
  const parts: string[] = [];
  if (status.instances.length === 0) {
    parts.push("No plugin process runs.\n");
  } else {
    const headers = ["PID", "PLUGIN", "TRANSPORT", "STARTED", "CALLS", "IDLE", "OWNER", "CONNECTION"];
    const rows = status.instances.map((i) => [
      String(i.pid),
      i.plugin,
      i.transport ?? "",
      i.startedAt,
      String(i.calls),
      formatIdle(i.idleMs),
      String(i.owner.pid),
      i.connection.message ? `${i.connection.status}: ${i.connection.message}` : i.connection.status,
    ]);
    parts.push(renderTable(headers, fitRows(headers, rows, { width, flexible: [7, 1] })));
  }
  if (status.remotes.length) parts.push(`\n${renderRemotes(status, width)}`);
  if (status.failed.length) {
    const headers = ["PLUGIN", "STATE", "REASON", "OWNER"];
    const rows = status.failed.map((f) => [
      f.plugin,
      f.state,
      f.code ? `${f.reason} (${f.code})` : f.reason,
      f.ownerPid === undefined ? "" : String(f.ownerPid),
    ]);
    parts.push(`\n${renderTable(headers, fitRows(headers, rows, { width, flexible: [2] }))}`);
  }
  if (status.problem) parts.push(`\n${status.problem.message}\n`);
  return parts.join("");
}

/** One row per instance of each remote plugin: reachable or why not, and the active count. */
function renderRemotes(status: PluginStatus, width: number | undefined): string {
  const headers = ["REMOTE PLUGIN", "STATE", "ACTIVE", "INSTANCE", "HEALTH"];
  const rows = status.remotes.flatMap((r) =>
    r.instances.map((i, index) => [
      index === 0 ? r.plugin : "",
      index === 0 ? (r.reachable ? "remote, reachable" : "remote, unreachable") : "",
      index === 0 ? `${r.activeInstances}/${r.instances.length}` : "",
      i.url,
      i.up ? (i.code ? `answers: ${i.reason ?? i.code}` : "up") : `out: ${i.reason ?? "no answer"}`,
    ]),
  );
  return renderTable(headers, fitRows(headers, rows, { width, flexible: [4] }));
}

/** `42s`, `3m10s`, `2h5m`. */
function formatIdle(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60}s`;
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
}
