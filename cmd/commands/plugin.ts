// `ocm plugin list|info|verify` (and install, in plugin-install.ts; test and status, in plugin-status.ts):
// what plugins are known, where they come from, their state, and whether an executable keeps the contract.
import type { Command } from "commander";
import { checkConformance, type ConformanceReport, type PluginListEntry } from "../../index.js";
import { OcmError } from "../../core/index.js";
import { fitRows, outputWidth, wrapText } from "../fit-table.js";
import { parseOutputFormat, renderData, renderTable } from "../render.js";
import type { CommandContext } from "../context.js";
import { registerPluginActionCommands } from "./plugin-action.js";
import { registerPluginEventCommands } from "./plugin-events.js";
import { registerPluginInstallCommands } from "./plugin-install.js";
import { registerPluginRemoteCommands, remoteNote, remoteStateWord, remoteSummary } from "./plugin-remote.js";
import { registerPluginStatusCommands } from "./plugin-status.js";

export function registerPluginCommands(program: Command, context: () => CommandContext): void {
  const plugin = program.command("plugin").description("inspect and manage plugins");

  plugin
    .command("list")
    .description("list built-in and discovered plugins with their types, capabilities and state")
    .option("-o, --output <format>", "table, json or yaml", "table")
    .option("--refresh", "ask every plugin for its capabilities again, also one that timed out")
    .action(async (opts: { output: string; refresh?: boolean }) => {
      const format = parseOutputFormat(opts.output);
      const ctx = context();
      const manager = ctx.manager();
      const plugins = await manager.list({ refresh: opts.refresh === true });
      const conflicts = await manager.conflicts();
      if (format !== "table") {
        ctx.stdout.write(renderData({ plugins: plugins.map(toSummary), conflicts }, format));
        return;
      }
      const width = outputWidth(ctx.stdout);
      const headers = ["ID", "SOURCE", "VERSION", "STATE", "TYPES", "PATH", "INSTALLED FROM"];
      const rows = plugins.map((p) => [
        p.id,
        p.source,
        p.document?.version ?? "",
        stateWord(p),
        describeTypes(p),
        p.path ?? "",
        p.provenance ? `${p.provenance.component}:${p.provenance.version}` : "",
      ]);
      ctx.stdout.write(renderPluginTable(headers, rows, width));
      const notes = [
        ...plugins.flatMap((p) => {
          const note = describeNote(p);
          return note ? [`${p.id}: ${note}`] : [];
        }),
        ...conflicts.map(
          (c) =>
            `conflict: ${c.type} ${c.capability} is claimed by ${c.plugins.map((p) => p.path).join(" and ")}; using ${c.winner}`,
        ),
      ];
      if (notes.length) ctx.stdout.write(`\n${notes.flatMap((note) => wrapText(note, width)).join("\n")}\n`);
      if (plugins.some((p) => stateWord(p) === "broken" || stateWord(p) === "config error")) {
        ctx.stdout.write(
          `\n${wrapText("`ocm plugin info <id>` shows a plugin's hint and the tail of its stderr.", width).join("\n")}\n`,
        );
      }
    });

  plugin
    .command("info")
    .description("show everything known about one plugin")
    .argument("<id>", "plugin id as shown by `ocm plugin list`")
    .option("-o, --output <format>", "yaml or json", "yaml")
    .action(async (id: string, opts: { output: string }) => {
      const format = parseOutputFormat(opts.output, ["json", "yaml"]);
      const ctx = context();
      const entry = await ctx.manager().info(id);
      ctx.stdout.write(renderData(toDetails(entry), format as "json" | "yaml"));
    });

  registerPluginInstallCommands(plugin, context);
  registerPluginEventCommands(plugin, context);
  registerPluginStatusCommands(plugin, context);
  registerPluginRemoteCommands(plugin, context);
  registerPluginActionCommands(plugin, context);

  plugin
    .command("verify")
    .description(
      "run the plugin contract against an executable and report each check (exit 1 when one fails)",
    )
    .argument("<path>", "the plugin executable, in any language")
    .option("-o, --output <format>", "table, json or yaml", "table")
    .option("--timeout <ms>", "bound on `capabilities` and on each server start, in milliseconds", "10000")
    .option(
      "--spec <type=json>",
      'the repository spec (or access) the transfer checks of <type> write to, e.g. \'Dir/v1={"path":"/tmp/x"}\' (repeatable)',
      (value: string, all: string[]) => [...all, value],
      [] as string[],
    )
    .action(async (path: string, opts: { output: string; timeout: string; spec: string[] }) => {
      const format = parseOutputFormat(opts.output);
      const ctx = context();
      const timeoutMs = Number(opts.timeout);
      const report = await checkConformance({
        path,
        capabilitiesTimeoutMs: timeoutMs,
        startTimeoutMs: timeoutMs,
        specs: Object.fromEntries(opts.spec.map(parseSpecOption)),
      });
      ctx.stdout.write(format === "table" ? renderVerifyReport(report) : renderData(report, format));
      if (!report.ok) throw verifyFailed(report);
    });
}

/** `--spec <type>=<json object>` as [type, spec]. */
function parseSpecOption(value: string): [string, Record<string, unknown>] {
  const at = value.indexOf("=");
  let spec: unknown;
  try {
    spec = at > 0 ? JSON.parse(value.slice(at + 1)) : undefined;
  } catch {
    spec = undefined;
  }
  if (at <= 0 || typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    throw new OcmError({
      code: "OCM_USAGE_INVALID",
      message: `--spec ${JSON.stringify(value)} is not <type>=<JSON object>`,
      hint: `Write --spec 'FileRepository/v1={"path":"/tmp/verify-repo"}'.`,
    });
  }
  return [value.slice(0, at), spec as Record<string, unknown>];
}

function verifyFailed(report: ConformanceReport): OcmError {
  const failed = report.checks.filter((c) => c.status === "fail").map((c) => c.name);
  return new OcmError({
    code: "OCM_VERIFY_FAILED",
    message: `${report.path} failed ${failed.length} contract check${failed.length === 1 ? "" : "s"}: ${failed.join(", ")}`,
    hint: "Read each failed check's detail above; docs/plugin-authors.md describes the contract.",
  });
}

function renderVerifyReport(report: ConformanceReport): string {
  const who = report.plugin
    ? `${report.plugin.name ?? report.path}${report.plugin.version ? ` ${report.plugin.version}` : ""} (protocol ${report.plugin.protocol})`
    : report.path;
  const table = renderTable(
    ["CHECK", "RESULT", "DETAIL"],
    report.checks.map((c) => [c.name, c.status.toUpperCase(), c.detail ?? ""]),
  );
  const failed = report.checks.filter((c) => c.status === "fail").length;
  return `${who}\n${table}${report.ok ? "PASS" : `FAIL: ${failed} check${failed === 1 ? "" : "s"} failed`}\n`;
}

/** The plugin table without columns that are empty in every row, cut to `width`. */
function renderPluginTable(headers: string[], rows: string[][], width: number | undefined): string {
  const keep = headers.map((_, i) => i < 4 || rows.some((row) => row[i]));
  const pick = <T>(cells: T[]) => cells.filter((_, i) => keep[i]);
  const kept = pick(headers);
  const index = (name: string) => kept.indexOf(name);
  const fitted = fitRows(kept, rows.map(pick), {
    width,
    flexible: ["TYPES", "PATH", "INSTALLED FROM", "ID", "VERSION"].map(index).filter((i) => i >= 0),
    keepEnd: [index("PATH")],
  });
  return renderTable(kept, fitted);
}

/** The state for the table: ok, running, broken, config error, disabled or shadowed. */
function stateWord(p: PluginListEntry): string {
  if (p.source === "remote" && p.state === "ok" && p.runtime?.remote)
    return remoteStateWord(p.runtime.remote);
  if (p.runtime?.state === "running") return "running";
  if (p.runtime?.state === "broken") return "broken";
  if (p.runtime?.state === "config error") return "config error";
  if (p.state === "ok" && p.shadowed?.length) return "shadowed";
  return p.state;
}

/** What the table's state word leaves out, as a note below it: the reason, the pid, the shadowing plugin. */
function describeNote(p: PluginListEntry): string | undefined {
  if (p.source === "remote" && p.state === "ok" && p.runtime?.remote) return remoteNote(p.runtime.remote);
  if (p.runtime?.state === "running") return `running as pid ${p.runtime.pid}`;
  if (p.runtime?.state === "broken") return `broken: ${p.runtime.reason ?? "repeated crashes"}`;
  if (p.runtime?.state === "config error") return `config error: ${p.runtime.reason ?? "unknown reason"}`;
  const retryAt = retryAtOf(p);
  if (p.state === "broken" && retryAt)
    return `broken: capabilities timed out; asked again after ${retryAt} or when the file changes (--refresh: now)`;
  if (p.state === "broken") return `broken: ${p.error?.message ?? "unknown reason"}`;
  if (p.shadowed?.length) {
    const by = [...new Set(p.shadowed.map((s) => s.by))];
    const served = by.map(
      (id) =>
        `${p.shadowed
          ?.filter((s) => s.by === id)
          .map((s) => `${s.type} ${s.capability}`)
          .join(
            ", ",
          )} served by ${id !== p.id ? id : p.source === "external" ? `the built-in ${id}` : `the external ${id}`}`,
    );
    return `shadowed: ${served.join("; ")}`;
  }
  return undefined;
}

/** When discovery asks a plugin whose `capabilities` timed out again (ISO time), if that is the reason. */
function retryAtOf(p: PluginListEntry): string | undefined {
  const retryAt = p.error?.code === "OCM_DISCOVERY_TIMEOUT" ? p.error.details?.["retryAt"] : undefined;
  return typeof retryAt === "string" ? retryAt : undefined;
}

function describeTypes(p: PluginListEntry): string {
  return Object.entries(p.document?.type ?? {})
    .map(([type, caps]) => `${type} → ${caps.join(",")}`)
    .join("; ");
}

function toSummary(p: PluginListEntry) {
  return {
    id: p.id,
    source: p.source,
    ...(p.path ? { path: p.path } : {}),
    ...(p.document?.version ? { version: p.document.version } : {}),
    state: p.runtime?.state === "broken" || p.runtime?.state === "config error" ? p.runtime.state : p.state,
    ...(p.runtime?.state === "running" ? { running: true, pid: p.runtime.pid } : {}),
    ...(p.error ? { reason: p.error.message, code: p.error.code } : {}),
    ...(p.runtime?.reason
      ? { reason: p.runtime.reason, ...(p.runtime.code ? { code: p.runtime.code } : {}) }
      : {}),
    ...(retryAtOf(p) ? { retryAt: retryAtOf(p) } : {}),
    ...(p.runtime?.remote ? remoteSummary(p.runtime.remote) : {}),
    types: p.document?.type ?? {},
    ...(p.shadowed?.length ? { shadowed: p.shadowed } : {}),
    ...(p.provenance ? { provenance: p.provenance } : {}),
  };
}

function toDetails(p: PluginListEntry) {
  return {
    ...toSummary(p),
    ...(p.document?.description ? { description: p.document.description } : {}),
    ...(p.document?.protocol ? { protocol: p.document.protocol } : {}),
    ...(p.document?.aliases ? { aliases: p.document.aliases } : {}),
    ...(p.document?.connection ? { connection: p.document.connection } : {}),
    ...(p.document?.configSchema ? { configSchema: p.document.configSchema } : {}),
    ...(p.document?.schemas ? { schemas: p.document.schemas } : {}),
    ...(p.document?.actions ? { actions: p.document.actions } : {}),
    ...(p.error?.hint ? { hint: p.error.hint } : {}),
    ...(p.stderrTail ? { stderr: p.stderrTail } : {}),
  };
}
