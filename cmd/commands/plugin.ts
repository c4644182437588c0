// `ocm plugin list|info`: what plugins are known, where they come from, and their state.
import type { Command } from "commander";
import type { PluginListEntry } from "../../index.js";
import { parseOutputFormat, renderData, renderTable } from "../render.js";
import type { CommandContext } from "../context.js";

export function registerPluginCommands(program: Command, context: () => CommandContext): void {
  const plugin = program.command("plugin").description("inspect and manage plugins");

  plugin
    .command("list")
    .description("list built-in and discovered plugins with their types, capabilities and state")
    .option("-o, --output <format>", "table, json or yaml", "table")
    .action(async (opts: { output: string }) => {
      const format = parseOutputFormat(opts.output);
      const ctx = context();
      const manager = ctx.manager();
      const [plugins, conflicts] = await Promise.all([manager.list(), manager.conflicts()]);
      if (format !== "table") {
        ctx.stdout.write(renderData({ plugins: plugins.map(toSummary), conflicts }, format));
        return;
      }
      ctx.stdout.write(
        renderTable(
          ["ID", "SOURCE", "VERSION", "STATE", "TYPES", "PATH"],
          plugins.map((p) => [
            p.id,
            p.source,
            p.document?.version ?? "",
            describeState(p),
            describeTypes(p),
            p.path ?? "",
          ]),
        ),
      );
      for (const c of conflicts) {
        ctx.stdout.write(
          `\nconflict: ${c.type} ${c.capability} is claimed by ${c.plugins.map((p) => p.path).join(" and ")}; using ${c.winner}\n`,
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
}

function describeState(p: PluginListEntry): string {
  if (p.runtime?.state === "running") return `running (pid ${p.runtime.pid})`;
  if (p.runtime?.state === "broken") return "broken: repeated crashes";
  if (p.state === "broken") return `broken: ${p.error?.message ?? "unknown reason"}`;
  if (p.shadowed?.length)
    return `${p.state} (shadowed by ${[...new Set(p.shadowed.map((s) => s.by))].join(", ")})`;
  return p.state;
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
    state: p.runtime?.state === "broken" ? "broken" : p.state,
    ...(p.runtime?.state === "running" ? { running: true, pid: p.runtime.pid } : {}),
    ...(p.error ? { reason: p.error.message, code: p.error.code } : {}),
    types: p.document?.type ?? {},
    ...(p.shadowed?.length ? { shadowed: p.shadowed } : {}),
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
    ...(p.error?.hint ? { hint: p.error.hint } : {}),
    ...(p.stderrTail ? { stderr: p.stderrTail } : {}),
  };
}
